import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { KarpooshehEnv } from './config/karpoosheh.env.js';
import { EffectiveJob } from './notices/application/effective-job.js';
import { FanOutBatchUseCase } from './notices/application/fan-out-batch.use-case.js';
import { NotificationDispatcher } from './notifier/application/notification-dispatcher.js';
import { BackgroundLoop } from './shared/application/background-loop.js';
import { INBOX_PAGE } from './ui/inbox.page.js';
import { PANEL_PAGE } from './ui/panel.page.js';
import { WebhookDispatcher } from './webhooks/application/webhook-dispatcher.js';

const PAGES: Record<string, string> = { '/panel': PANEL_PAGE, '/inbox': INBOX_PAGE };

/**
 * Fastify set-up done while providers are built (before Nest registers routes): multipart
 * parsing, and the two pages — a browser asking for `/panel` or `/inbox` as HTML gets the page,
 * an API client (JSON) gets the API. Then the background work: fan-out, notifications,
 * webhooks, the effective-date job.
 */
@Injectable()
export class KarpooshehRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loops: BackgroundLoop[] = [];

  constructor(
    @Inject(HttpAdapterHost) host: HttpAdapterHost,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
    @Inject(FanOutBatchUseCase) private readonly fanOut: FanOutBatchUseCase,
    @Inject(NotificationDispatcher) private readonly notifications: NotificationDispatcher,
    @Inject(WebhookDispatcher) private readonly webhooks: WebhookDispatcher,
    @Inject(EffectiveJob) private readonly effective: EffectiveJob,
  ) {
    const fastify = host.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify) return;
    void fastify.register(multipart, {
      limits: { fileSize: Math.max(env.MAX_ATTACHMENT_BYTES, env.MAX_RECIPIENT_FILE_BYTES) + 1, files: env.MAX_ATTACHMENTS_PER_NOTICE + 1, fields: 20, fieldSize: 200_000 },
    });
    // The pages call identity at IDENTITY_PUBLIC_URL (empty: the same origin, as behind the gateway).
    const identity = JSON.stringify(env.IDENTITY_PUBLIC_URL ?? '').replace(/</g, '\\u003c');
    const pages = new Map(Object.entries(PAGES).map(([path, html]) => [path, html.replace('__IDENTITY_URL__', identity)]));
    fastify.addHook('onRequest', (req, reply, done) => {
      const path = req.url.split('?')[0];
      const html = pages.get(path);
      if (req.method !== 'GET' || !html || !String(req.headers.accept ?? '').includes('text/html')) return done();
      void reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src *; img-src 'self' data:")
        .header('cache-control', 'no-store')
        .send(html);
    });
  }

  onApplicationBootstrap(): void {
    const poll = this.env.WORKER_POLL_MS;
    this.loops.push(new BackgroundLoop('fan-out', () => this.fanOut.step(), poll));
    if (this.env.NOTIFY_ENABLED) this.loops.push(new BackgroundLoop('notifier', () => this.notifications.step(), poll));
    this.loops.push(new BackgroundLoop('webhooks', () => this.webhooks.step(), poll));
    this.loops.push(new BackgroundLoop('effective', async () => (await this.effective.step()) > 0, this.env.EFFECTIVE_JOB_INTERVAL_SECONDS * 1000));
    for (const loop of this.loops) loop.start();
  }

  /** Wakes the workers (after a send, so a batch starts without waiting for the poll). */
  nudge(): void {
    for (const loop of this.loops) loop.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
  }
}
