// The ceiling of bench:karpoosheh-send: the simplest program that could accept the same notice
// — node:http + pg, no framework, no token check, no validation — writing the same rows (notice
// with its chain head, the inbox entry, the ACCEPTED and DELIVERED audit entries with their
// SHA-256 chain, two outbox events, the notification job, the idempotency record) in ONE
// autocommitted statement (one round trip).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const GENESIS = '0'.repeat(64);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export async function startSendCeiling(databaseUrl: string, agencyId: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { recipients: string[]; subject: string; body: string; category: string };
      const key = String(req.headers['idempotency-key']);
      const noticeId = randomUUID();
      const r = body.recipients[0];
      const at = new Date().toISOString();
      const h1 = sha(JSON.stringify([1, GENESIS, noticeId, r, 'ACCEPTED', 'bench', null, at]));
      const h2 = sha(JSON.stringify([2, h1, noticeId, r, 'DELIVERED', 'system', null, at]));
      const answer = JSON.stringify({ noticeId, batchId: null, createdAt: at, recipientCount: 1, recipients: [{ recipientId: r, state: 'DELIVERED' }] });
      const event = (state: string) => JSON.stringify({ noticeId, batchId: null, agencyId, recipientId: r, recipientKind: 'citizen', state, previousState: null, readerNationalCode: null, reason: null, at });
      pool
        .query(
          `WITH n AS (INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, recipient_count, system_notice, created_at, audit_seq, audit_head)
                      VALUES ($1, $2, $3, $4, 'text', $5, 1, false, $6, 2, $9) RETURNING notice_id),
                e AS (INSERT INTO inbox_entries (notice_id, recipient_id, state, created_at, delivered_at) SELECT notice_id, $7, 'DELIVERED', $6, $6 FROM n),
                a AS (INSERT INTO audit_log (notice_id, seq, recipient_id, action, actor, detail, at, prev_hash, hash)
                      SELECT notice_id, s, $7, act, actor, NULL, $6, prev, h FROM n, (VALUES (1, 'ACCEPTED', 'bench', $10::text, $8::text), (2, 'DELIVERED', 'system', $8::text, $9::text)) v(s, act, actor, prev, h)),
                o AS (INSERT INTO outbox (event_id, topic, key, type, source, headers, payload, occurred_at)
                      SELECT gen_random_uuid(), 'karpoosheh.notices', notice_id, t, '/bench', '{}'::jsonb, p::jsonb, $6 FROM n, (VALUES ('notice.recipient-accepted.v1', $11::text), ('notice.recipient-delivered.v1', $12::text)) v(t, p)),
                j AS (INSERT INTO notification_jobs (notice_id) SELECT notice_id FROM n)
           INSERT INTO idempotency_keys (agency_id, key, request_hash, response_status, response_body) VALUES ($2, $13, $14, 201, $15)`,
          [noticeId, agencyId, body.subject, body.body, body.category, at, r, h1, h2, GENESIS, event('ACCEPTED'), event('DELIVERED'), key, sha(JSON.stringify(body)), answer],
        )
        .then(
          () => {
            res.writeHead(201, { 'content-type': 'application/json' });
            res.end(answer);
          },
          (err: Error) => {
            res.writeHead(500);
            res.end(err.message);
          },
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    },
  };
}
