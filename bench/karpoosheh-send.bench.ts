// bench:karpoosheh-send — single-recipient sends, each with its own Idempotency-Key, through HTTP
// (ES256 token checked by the guard, notice + entry + audit + outbox + idempotency row in one
// transaction). Goal: ≥ 1,000 notices/s accepted.
// Env: KARPOOSHEH_SECONDS (default 15), KARPOOSHEH_CONNECTIONS (default 50), KAFKA_BROKERS, DATABASE_URL.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { benchApp, nationalCode } from './karpoosheh/bench-app.js';
import { load } from './karpoosheh/load.js';

const seconds = Number(process.env.KARPOOSHEH_SECONDS ?? 15);
const connections = Number(process.env.KARPOOSHEH_CONNECTIONS ?? 50);
const app = await benchApp('send', { RECIPIENT_DIRECTORY: 'any' });
try {
  let n = 0;
  const result = await load({
    url: app.svc.url,
    connections,
    seconds,
    requests: [
      {
        method: 'POST',
        path: '/notices',
        setup: (req) => {
          req.headers['content-type'] = 'application/json';
          req.headers.authorization = `Bearer ${app.agencyToken}`;
          req.headers['idempotency-key'] = randomUUID();
          req.body = JSON.stringify({ recipients: [nationalCode(100_000_000 + (n++ % 1_000_000))], subject: 'ابلاغیه', body: 'متن', category: 'tax' });
        },
      },
    ],
  });
  const stored = Number((await app.db.query('SELECT count(*) AS n FROM notices')).rows[0].n);
  console.log(
    `send: ${connections} connections, ${seconds} s, bus ${process.env.KAFKA_BROKERS ? 'Kafka' : 'in-process'}: ${Math.round(result.requestsPerSecond)} notices/s ` +
      `(p50 ${result.p50} ms, p99 ${result.p99} ms), ${result.non2xx} non-2xx, ${result.errors} errors; ${stored} notices stored`,
  );
} finally {
  await app.close();
}
process.exit(0);
