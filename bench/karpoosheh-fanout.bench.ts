// bench:karpoosheh-fanout — one notice to KARPOOSHEH_RECIPIENTS (default 1,000,000) recipients in
// one JSON call: time to the 202, to every inbox entry written (batch COMPLETED) and to every
// outbox row relayed to the bus (Kafka when KAFKA_BROKERS is set). Goal: ≤ 60 s for both.
// Env: KARPOOSHEH_RECIPIENTS, KARPOOSHEH_EVENTS (per-recipient | per-batch, default both, in turn),
// KAFKA_BROKERS, DATABASE_URL. RECIPIENT_DIRECTORY=any: generated national codes need no citizen rows.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { benchApp, nationalCode } from './karpoosheh/bench-app.js';

const N = Number(process.env.KARPOOSHEH_RECIPIENTS ?? 1_000_000);
const modes = (process.env.KARPOOSHEH_EVENTS ?? 'per-recipient,per-batch').split(',');
const recipients = Array.from({ length: N }, (_, i) => nationalCode(100_000_000 + i));

for (const mode of modes) {
  const app = await benchApp('fanout', { RECIPIENT_DIRECTORY: 'any', BATCH_DELIVERED_EVENTS: mode });
  try {
    const body = JSON.stringify({ recipients, subject: 'ابلاغیه همگانی', body: 'متن', category: 'tax' });
    const t0 = performance.now();
    const res = await fetch(`${app.svc.url}/notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.agencyToken}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body,
    });
    const accepted = (await res.json()) as { batchId: string };
    const tAccepted = performance.now();
    if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${JSON.stringify(accepted)}`);
    let tWritten = 0;
    let tRelayed = 0;
    let events = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      if (!tWritten) {
        const b = await app.db.query(`SELECT status FROM batches WHERE batch_id = $1`, [accepted.batchId]);
        if (b.rows[0].status === 'COMPLETED') {
          tWritten = performance.now();
          events = Number((await app.db.query(`SELECT count(*) AS n FROM audit_log`)).rows[0].n);
        }
      }
      if (tWritten) {
        const o = await app.db.query('SELECT count(*)::int AS n FROM outbox');
        if (o.rows[0].n === 0) {
          tRelayed = performance.now();
          break;
        }
      }
    }
    const entries = Number((await app.db.query('SELECT count(*) AS n FROM inbox_entries')).rows[0].n);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `fan-out ${N.toLocaleString('en')} recipients, events ${mode}, bus ${process.env.KAFKA_BROKERS ? 'Kafka' : 'in-process'}: ` +
        `202 after ${s(tAccepted - t0)}; ${entries.toLocaleString('en')} entries written after ${s(tWritten - t0)} ` +
        `(${Math.round(entries / ((tWritten - tAccepted) / 1000)).toLocaleString('en')}/s); outbox relayed after ${s(tRelayed - t0)}; audit entries ${events.toLocaleString('en')}`,
    );
  } finally {
    await app.close();
  }
}
process.exit(0);
