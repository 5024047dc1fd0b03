import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestService } from '@darvazeh/testing';
import type { ApiGatewayEnv } from '../src/config/api-gateway.env.js';
import { ApplyGrantStateUseCase, ApplyServiceChangeUseCase } from '../src/gsb/application/apply-projection.use-cases.js';
import { startGatewayWithIssuer } from './support/gateway.js';
import { startLocalUpstream, type LocalUpstream } from './support/local-upstream.js';

const HAMTA_PROVIDER = '6f1d2b9e-7c1a-4e0b-9a51-000000000001';
const BROKEN_PROVIDER = randomUUID();
const APPS = ['identity', 'device-registry', 'karpoosheh', 'gsb-workflow', 'ocsp-responder'] as const;
const POLL_MS = 500;
const SHOTS = path.resolve('.test-output/api-gateway/status-page');

/** The operators' status page in headless Chromium against a running gateway and five upstreams. */
describe('status page (headless Chromium)', () => {
  const upstreams = new Map<string, LocalUpstream>();
  let gw: TestService<ApiGatewayEnv>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const app of APPS) upstreams.set(app, await startLocalUpstream());
    const env: Record<string, string> = { STATUS_POLL_MS: String(POLL_MS), RATE_LIMIT_STORE: 'memory' };
    for (const app of APPS) env[`UPSTREAM_${app.toUpperCase().replace(/-/g, '_')}_URL`] = upstreams.get(app)!.url;
    gw = await startGatewayWithIssuer(env);
    // Some traffic so the figures and charts have something to show.
    const token = await gw.issuer.mintToken({ sub: 'op', roles: ['admin'] });
    for (let i = 0; i < 20; i++) await (await fetch(`${gw.url}/api/device-registry/devices-x/${i}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    // GSB traffic for the providers' ranking: the seeded Hamta service answers; a second provider's
    // service points at a closed port, so every call to it fails (502).
    const consumer = randomUUID();
    await gw.app.get(ApplyServiceChangeUseCase).execute({
      serviceCode: 'test.broken',
      title: 'a service whose upstream is down',
      description: '',
      providerAgencyId: BROKEN_PROVIDER,
      environments: ['GSB'],
      upstreamUrl: 'http://127.0.0.1:1/svc',
      status: 'ACTIVE',
      version: 1,
      changedAt: new Date().toISOString(),
    });
    for (const [serviceCode, provider] of [['hamta.imei-status', HAMTA_PROVIDER], ['test.broken', BROKEN_PROVIDER]] as const) {
      await gw.app.get(ApplyGrantStateUseCase).execute({
        grantId: randomUUID(),
        requestId: null,
        consumerAgencyId: consumer,
        providerAgencyId: provider,
        serviceCode,
        environment: 'GSB',
        status: 'ACTIVE',
        quotaPerMinute: null,
        quotaPerDay: null,
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validUntil: null,
        version: 1,
        changedAt: new Date().toISOString(),
        reason: null,
      });
    }
    const agency = await gw.issuer.mintToken({ sub: 'client-consumer', roles: ['agency'], agency_id: consumer });
    for (const serviceCode of ['hamta.imei-status', 'test.broken']) {
      for (let i = 0; i < 5; i++) await (await fetch(`${gw.url}/gsb/${serviceCode}/check/${i}`, { headers: { authorization: `Bearer ${agency}` } })).arrayBuffer();
    }
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    for (const u of upstreams.values()) await u.close().catch(() => undefined);
  });

  it('shows a row per app, all ready, with figures and last-hour charts', async () => {
    await page.goto(`${gw.url}/status`);
    for (const app of APPS) await page.waitForSelector(`#apps tr[data-app="${app}"][data-state="ready"]`);
    expect(await page.locator('#apps tbody tr').count()).toBe(APPS.length);
    expect(await page.locator('#apps tr[data-app="device-registry"] svg.spark').count()).toBe(2);
    const rps = await page.locator('#apps tr[data-app="device-registry"] td').nth(3).textContent();
    expect(Number(rps)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, '1-all-ready.png'), fullPage: true });
  }, 30_000);

  it('turns an app red within the refresh interval once it stops, without a reload, and lists the incident', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await upstreams.get('karpoosheh')!.close();
    await page.waitForSelector('#apps tr[data-app="karpoosheh"][data-state="down"]', { timeout: 6 * POLL_MS + 2_000 });
    // Looked up and read in one evaluation: the page rebuilds its rows on every refresh, so an
    // element resolved by a locator first can be detached by the time it is read (colour "").
    const color = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { querySelector(s: string): unknown }; getComputedStyle(x: unknown): { backgroundColor: string } };
      const dot = g.document.querySelector('#apps tr[data-app="karpoosheh"] .dot');
      return dot ? g.getComputedStyle(dot).backgroundColor : null;
    });
    expect(color).toBe('rgb(209, 44, 44)');
    await page.waitForSelector('#incidents li[data-app="karpoosheh"]');
    expect(await page.locator('#apps tr[data-state="ready"]').count()).toBe(APPS.length - 1);
    expect(navigations).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '2-karpoosheh-down.png'), fullPage: true });
  }, 30_000);

  it('shows the service cards (declared beside measured) and sortable rankings of services and of providing agencies', async () => {
    await page.click('nav button[data-view="cards"]');
    const hamta = page.locator('.card[data-service-id="13071972103"]');
    await hamta.waitFor();
    const text = (await hamta.textContent()) ?? '';
    expect(text).toContain('7,000 per day');
    expect(text).toContain('2 min');
    expect(text).toContain('Information Technology Organization of Iran');
    expect(await page.locator('.card[data-service-id="13091716000"]').count()).toBe(1);
    expect(await page.locator('.card[data-service-id="13011975107"]').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, '3-cards.png'), fullPage: true });

    await page.click('nav button[data-view="ranking"]');
    await page.waitForSelector('#ranking tbody tr[data-name="karpoosheh"]');
    // Default: best availability first — the stopped app is ranked last among the apps.
    const names = await page.locator('#ranking tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(names).toEqual(expect.arrayContaining([...APPS, 'hamta.imei-status']));
    const appOrder = names.filter((n) => (APPS as readonly string[]).includes(n ?? ''));
    expect(appOrder[appOrder.length - 1]).toBe('karpoosheh');
    await page.click('#ranking th[data-sort="name"]');
    const sorted = await page.locator('#ranking tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
    expect(sorted).toEqual([...sorted].sort());

    // Providing agencies of GSB services: the one whose service failed every call ranks below the
    // one whose service answered; agencies without calls in the window come last.
    await page.waitForSelector(`#provider-ranking tbody tr[data-agency="${BROKEN_PROVIDER}"]`);
    const cells = async (agency: string) => page.locator(`#provider-ranking tr[data-agency="${agency}"] td`).allTextContents();
    expect(await cells(HAMTA_PROVIDER)).toEqual([HAMTA_PROVIDER, 'hamta.imei-status', '100.0%', expect.any(String), '0.0%', '5']);
    expect(await cells(BROKEN_PROVIDER)).toEqual([BROKEN_PROVIDER, 'test.broken', '0.0%', expect.any(String), '100.0%', '5']);
    const agencies = () => page.locator('#provider-ranking tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agency') ?? ''));
    const byAvailability = await agencies();
    expect(byAvailability.slice(0, 2)).toEqual([HAMTA_PROVIDER, BROKEN_PROVIDER]);
    expect(byAvailability.length).toBeGreaterThanOrEqual(4);
    await page.click('#provider-ranking th[data-sort="errorRate"]');
    expect((await agencies())[0]).not.toBe(BROKEN_PROVIDER);
    await page.click('#provider-ranking th[data-sort="errorRate"]');
    expect((await agencies())[0]).toBe(BROKEN_PROVIDER);
    await page.click('#provider-ranking th[data-sort="agency"]');
    const byAgency = await agencies();
    expect(byAgency).toEqual([...byAgency].sort());
    await page.screenshot({ path: path.join(SHOTS, '4-ranking.png'), fullPage: true });
  }, 30_000);

  it('serves the same data as /status.json', async () => {
    const json = (await (await fetch(`${gw.url}/status.json?window=5`)).json()) as {
      apps: { name: string; state: string }[];
      windowMinutes: number;
      providerRanking: { agency: string; services: string[]; availability: number | null; requests: number }[];
    };
    expect(json.windowMinutes).toBe(5);
    expect(json.providerRanking.find((p) => p.agency === BROKEN_PROVIDER)).toMatchObject({ services: ['test.broken'], availability: 0, requests: 5 });
    expect(json.apps.find((a) => a.name === 'karpoosheh')?.state).toBe('down');
  });
});
