// The ceiling of bench:gsb-workflow: the simplest program that could do the job — a bare
// node:http server and a pg pool running, per step, the statements gsb-workflow sends (see
// below), on tables of the same shape. No Nest, no TypeORM, no JWT, no validation, no
// multipart, no Kafka. Measured in the same run, with the same client pattern.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export const CEILING_STEPS = ['draft', 'upload', 'submit', 'claim', 'evaluate', 'approve'] as const;
type Step = (typeof CEILING_STEPS)[number];

// As gsb-workflow's steps: one read (the request, with the facts lookup folded in on submit and
// approve) and one write — a data-modifying CTE guarded by the version read (request row,
// history, outbox row, on approval the grant), autocommit: no BEGIN/COMMIT round trips.
const FACTS = `(SELECT EXISTS (SELECT 1 FROM ceiling_grants g WHERE g.agency = r.agency)) AS g,
  (SELECT count(*) FROM ceiling_requests o WHERE o.agency = r.agency AND o.state = 'SUBMITTED') AS open`;
const READ = `SELECT r.* FROM ceiling_requests r WHERE r.id = $1`;
const READ_WITH_FACTS = `SELECT r.*, ${FACTS} FROM ceiling_requests r WHERE r.id = $1`;
const LOOKUP = `SELECT EXISTS (SELECT 1 FROM ceiling_grants WHERE agency = $1) AS g, (SELECT count(*) FROM ceiling_requests WHERE agency = $1 AND state = 'SUBMITTED') AS open`;
const OUTBOX = (gate: string, p: number) => `ob AS (INSERT INTO ceiling_outbox (topic, key, payload) SELECT 'gsb.requests', $${p}::text, $${p + 1}::jsonb FROM ${gate})`;
const INSERT = `WITH w AS (INSERT INTO ceiling_requests (id, agency, state, doc, version) VALUES ($1, $2, 'DRAFT', $3, 1) RETURNING id), ${OUTBOX('w', 4)}
  INSERT INTO ceiling_history (request_id, at, details) SELECT id, now(), '{}' FROM w RETURNING 1`;
const SAVE = (grant: boolean) => `WITH w AS (UPDATE ceiling_requests SET state = $2, doc = $3, version = version + 1 WHERE id = $1 AND version = $4 RETURNING id, agency),
  ${grant ? `gr AS (INSERT INTO ceiling_grants (id, agency) SELECT gen_random_uuid(), agency FROM w), ` : ''}${OUTBOX('w', 5)}
  INSERT INTO ceiling_history (request_id, at, details) SELECT id, now(), '{}' FROM w RETURNING 1`;

export async function startCeiling(dbUrl: string, poolSize = 10): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: dbUrl, max: poolSize });
  await pool.query(`
    CREATE TABLE ceiling_requests (id uuid PRIMARY KEY, agency text NOT NULL, state text NOT NULL, doc jsonb NOT NULL, version int NOT NULL);
    CREATE INDEX ON ceiling_requests (agency, state);
    CREATE TABLE ceiling_history (id bigserial PRIMARY KEY, request_id uuid NOT NULL REFERENCES ceiling_requests (id), at timestamptz NOT NULL, details jsonb);
    CREATE TABLE ceiling_grants (id uuid PRIMARY KEY, agency text NOT NULL);
    CREATE INDEX ON ceiling_grants (agency);
    CREATE TABLE ceiling_outbox (id bigserial PRIMARY KEY, topic text, key text, payload jsonb);`);

  const run = async (step: Step, id: string, agency: string, body: string) => {
    const doc = body || '{}';
    const event = JSON.stringify({ id, step, at: new Date().toISOString() });
    if (step === 'draft') {
      await pool.query(LOOKUP, [agency]);
      await pool.query(INSERT, [id, agency, doc, id, event]);
    } else {
      const [row] = (await pool.query(step === 'submit' || step === 'approve' ? READ_WITH_FACTS : READ, [id])).rows;
      if (!row) throw new Error(`no request ${id}`);
      const { rowCount } = await pool.query(SAVE(step === 'approve'), [id, step.toUpperCase(), JSON.stringify({ ...row.doc, step }), row.version, id, event]);
      if (rowCount !== 1) throw new Error(`request ${id} changed meanwhile`);
    }
    return JSON.stringify({ id, state: step === 'approve' ? 'APPROVED' : step.toUpperCase() });
  };

  const server: Server = createServer((req, res) => {
    const [, step, id, agency] = (req.url ?? '').split('/');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      run(step as Step, id, agency, step === 'upload' ? '' : Buffer.concat(chunks).toString('utf8')).then(
        (out) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
          res.end(out);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    },
  };
}

/** One request through the ceiling's six steps, with bodies of the same size as the real ones. */
export async function ceilingWalk(url: string, id: string, agency: string, record: (s: Step, ms: number) => void, letter: Buffer): Promise<void> {
  const draft = JSON.stringify({
    environment: 'GSB',
    serviceCode: 'hamta.imei-status',
    system: { name: 'سامانه', purpose: 'استعلام', ipAddresses: ['10.1.2.3'] },
    letter: { number: '1/ص', date: '2026-11-01' },
    contact: { name: 'رابط', email: 'a@b.ir', phone: '09121234567' },
  });
  for (const step of CEILING_STEPS) {
    const t = performance.now();
    const res = await fetch(`${url}/${step}/${id}/${agency}`, {
      method: 'POST',
      headers: { 'content-type': step === 'upload' ? 'application/octet-stream' : 'application/json' },
      body: step === 'draft' ? draft : step === 'upload' ? new Uint8Array(letter) : '{}',
    });
    const body = await res.text();
    record(step, performance.now() - t);
    if (!res.ok) throw new Error(`ceiling ${step}: ${res.status} ${body}`);
  }
}
