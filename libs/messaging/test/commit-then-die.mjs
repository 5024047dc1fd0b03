// Child process for the outbox crash test: commits a business row and its outbox row in one
// transaction (the same INSERT the OutboxWriter issues), then dies by SIGKILL before any relay
// could send it — the window between commit and publish.
import pg from 'pg';

const [url, eventId, topic] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('BEGIN');
await client.query(
  `INSERT INTO outbox (event_id, topic, key, type, source, headers, payload, occurred_at)
   VALUES ($1, $2, 'crash-key', 'ir.darvazeh.test.order.placed.v1', '/darvazeh/crashy', '{}', $3, now())`,
  [eventId, topic, JSON.stringify({ orderId: 'crash-1' })],
);
await client.query('COMMIT');
process.kill(process.pid, 'SIGKILL');
