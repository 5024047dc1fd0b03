import { CompactSign } from 'jose';
import { TransactionRunner } from '@darvazeh/database';
import { GSB_EXCHANGE_LOG_HEAD_SIGNED_V1, GSB_USAGE_SUMMARIZED_V1, type GsbExchangeLogHeadSignedV1, type GsbUsageSummarizedV1 } from '@darvazeh/contracts';
import type { OutboxWriter } from '@darvazeh/messaging';
import { GENESIS_HASH } from '../domain/exchange-chain.js';
import type { ExchangeLogRepository } from '../domain/exchange-log.repository.js';
import type { ExchangeEvidenceRepository } from '../domain/exchange-evidence.repository.js';
import type { SigningKey } from './gateway-signing-key.js';
import type { ExchangeLogWriter } from './exchange-log.writer.js';

export const CHAIN_HEAD_JWS_TYPE = 'gsb-chain-head+jws';

/**
 * Periodic evidence for third parties on gsb.exchanges (through the outbox): the signed chain
 * head (JWS ES256 over {seq, hash, signedAt}; a head already signed is not signed again) and,
 * for each closed hour not yet summarised, the usage per consumer/service. Each is claimed by a
 * row (gsb_chain_heads, gsb_usage_summaries) in the same transaction as its outbox event, so
 * several replicas publish each at most once.
 */
export class ExchangeEvidencePublisher {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ExchangeLogRepository,
    private readonly evidence: ExchangeEvidenceRepository,
    private readonly writer: ExchangeLogWriter,
    private readonly outbox: OutboxWriter,
    private readonly key: () => SigningKey,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(headIntervalMs: number, usageIntervalMs: number): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch(this.onError), ms);
      t.unref();
      this.timers.push(t);
    };
    every(headIntervalMs, () => this.signHead());
    every(usageIntervalMs, () => this.summarizeClosedHours());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Flushes the writer, signs the current head; returns the event data (or null when unchanged). */
  async signHead(): Promise<GsbExchangeLogHeadSignedV1 | null> {
    await this.writer.flush();
    const key = this.key();
    return this.tx.run(async (m) => {
      const head = (await this.repo.head()) ?? { seq: 0, hash: GENESIS_HASH };
      const signedAt = new Date().toISOString();
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ seq: head.seq, hash: head.hash, signedAt })))
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: CHAIN_HEAD_JWS_TYPE })
        .sign(key.privateKey);
      if (!(await this.evidence.claimSignedHead(head, jws, new Date(signedAt)))) return null;
      const data: GsbExchangeLogHeadSignedV1 = { seq: head.seq, hash: head.hash, jws, kid: key.kid, signedAt };
      await this.outbox.append(m, [{ type: GSB_EXCHANGE_LOG_HEAD_SIGNED_V1, subject: 'exchange-log', data }]);
      return data;
    });
  }

  /** Publishes a summary for every closed hour since the first row that has none yet (at most 48 per run). */
  async summarizeClosedHours(now = new Date()): Promise<GsbUsageSummarizedV1[]> {
    await this.writer.flush();
    const currentHour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
    const start = await this.evidence.firstUnsummarizedHour();
    if (!start) return [];
    const published: GsbUsageSummarizedV1[] = [];
    for (let hour = start.getTime(); hour < currentHour && published.length < 48; hour += 3_600_000) {
      const hourStart = new Date(hour);
      const hourEnd = new Date(hour + 3_600_000);
      const event = await this.tx.run(async (m) => {
        if (!(await this.evidence.claimUsageHour(hourStart))) return null;
        const rows = await this.repo.usage({ from: hourStart, to: hourEnd });
        const data: GsbUsageSummarizedV1 = {
          hourStart: hourStart.toISOString(),
          hourEnd: hourEnd.toISOString(),
          rows: rows.map(({ p50Ms: _p50, ...r }) => r),
        };
        await this.outbox.append(m, [{ type: GSB_USAGE_SUMMARIZED_V1, subject: hourStart.toISOString(), data }]);
        return data;
      });
      if (event) published.push(event);
    }
    return published;
  }
}
