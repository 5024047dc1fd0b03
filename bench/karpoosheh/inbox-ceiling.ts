// The ceiling of bench:karpoosheh-inbox: the simplest program that could answer the same two
// requests — node:http + pg, the recipient read from the token WITHOUT verifying it, no
// framework — running the same two SQL statements (named, as the service does) on a pool of the
// same size as the service's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const LIST = `SELECT e.notice_id, n.subject, n.category, n.agency_id, a.name AS agency_name, e.state, e.created_at, e.read_at, n.due_date::text AS due_date,
       e.starred, e.acknowledged_at, e.archived_at, n.system_notice
  FROM inbox_entries e JOIN notices n ON n.notice_id = e.notice_id LEFT JOIN agencies a ON a.agency_id = n.agency_id
 WHERE e.recipient_id = $1 AND e.state IN ('DELIVERED','VIEWED','EFFECTIVE') AND e.archived_at IS NULL
 ORDER BY e.created_at DESC, e.notice_id DESC LIMIT $2`;
const UNREAD = `SELECT count(*)::int AS n FROM inbox_entries WHERE recipient_id = $1 AND read_at IS NULL AND state IN ('DELIVERED','EFFECTIVE')`;

export async function startInboxCeiling(databaseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const server: Server = createServer((req, res) => {
    const token = String(req.headers.authorization ?? '').slice(7);
    const who = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { national_code: string }).national_code;
    const done = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (err: Error) => {
      res.writeHead(500);
      res.end(err.message);
    };
    if (req.url?.startsWith('/inbox/unread-count')) {
      pool.query({ name: 'unread', text: UNREAD, values: [who] }).then((r) => done({ recipientId: who, unread: r.rows[0].n }), fail);
    } else {
      pool.query({ name: 'list', text: LIST, values: [who, 21] }).then((r) => done({ items: r.rows.slice(0, 20), nextCursor: null }), fail);
    }
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
