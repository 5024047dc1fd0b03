import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestService, type TestService } from '@darvazeh/testing';
import { GsbWorkflowEnv } from '../src/config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE } from '../src/gsb-workflow.module.js';

const SHOTS = path.resolve('.data/screenshots/gsb-workflow');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n'), Buffer.alloc(200, 32)]);

/** /portal and /review in headless Chromium: not connected, incomplete then fixed, and the way to approval. */
// A browser walk is many round trips; on a shared 2-core machine one can take longer than jest's
// default 5 s, so each test gets a generous limit (nothing here asserts speed).
describe('gsb-workflow screens (Chromium)', () => {
  let svc: TestService<GsbWorkflowEnv>;
  let browser: Browser;
  let page: Page;
  const tokens: Record<string, string> = {};

  const api = async (who: string, method: string, p: string, json?: unknown) => {
    const r = await fetch(`${svc.url}${p}`, { method, headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
    return (await r.json()) as { id: string; state: string };
  };
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    svc = await startTestService({ service: SERVICE, envClass: GsbWorkflowEnv, module: (env) => GsbWorkflowModule.register(env), label: 'gsb_screens', env: { SLA_CHECK_INTERVAL_SECONDS: '0' } });
    tokens.a = await svc.issuer.mintToken({ sub: 'agency-a', roles: ['agency'], agency_id: randomUUID(), expiresIn: '1h' });
    tokens.b = await svc.issuer.mintToken({ sub: 'agency-b', roles: ['agency'], agency_id: randomUUID(), expiresIn: '1h' });
    tokens.expert = await svc.issuer.mintToken({ sub: 'expert-1', roles: ['expert'], expiresIn: '1h' });
    // Agency A completes the connection process through the API.
    const c = await api('a', 'POST', '/connections/requests', {
      connectionEnvironments: ['GSB'],
      systems: [{ name: 'سامانه', purpose: 'تبادل' }],
      ipRanges: ['10.0.0.0/8'],
      credential: { type: 'CLIENT_CREDENTIALS', clientId: 'agency-a' },
      contact: { name: 'رابط', email: 'a@b.ir', phone: '09121234567' },
    });
    await api('a', 'POST', `/requests/${c.id}/submit`, {});
    await api('expert', 'POST', `/review/${c.id}/claim`, {});
    await fetch(`${svc.url}/review/${c.id}/evaluation`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.expert}`, 'content-type': 'application/json' }, body: JSON.stringify({ qualified: true, priority: 'NORMAL' }) });
    expect((await api('expert', 'POST', `/review/${c.id}/approve`, {})).state).toBe('APPROVED');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
    page = await browser.newPage({ locale: 'fa-IR' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  it('steps 4–5: an agency without a connection is told to connect first', async () => {
    await page.goto(`${svc.url}/portal#token=${tokens.b}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.click('#start');
    await page.locator('#problem', { hasText: '/connections/requests' }).waitFor();
    expect(await page.textContent('#problem')).toContain('/connections/requests');
    await shot('1-not-connected');
  }, 60_000);

  it('steps 6–14: deficiencies are listed, fixed, and the request is sent to the expert', async () => {
    await page.goto(`${svc.url}/portal#token=${tokens.a}`);
    await page.reload();
    await page.click('#start');
    await page.waitForSelector('#deficiencies li');
    await page.fill('#systemName', 'سامانه گمرک');
    await page.fill('#contactEmail', 'not-an-email');
    await page.click('#save');
    await page.waitForSelector('#deficiencies li[data-code="CONTACT_EMAIL_INVALID"]');
    const codes = await page.$$eval('#deficiencies li', (lis) => lis.map((l) => l.getAttribute('data-code')));
    expect(codes).toEqual(expect.arrayContaining(['LETTER_FILE_MISSING', 'LETTER_NUMBER_MISSING', 'SERVICE_MISSING', 'CONTACT_EMAIL_INVALID']));
    expect(await page.isDisabled('#submit')).toBe(true);
    await shot('2-incomplete');

    await page.fill('#systemPurpose', 'استعلام IMEI');
    await page.fill('#systemIp', '10.20.30.40');
    await page.fill('#letterNumber', '۱۲۳۴/ص/۱۴۰۵');
    await page.fill('#letterDate', '2026-11-01');
    const file = path.join(tmpdir(), `letter-${randomUUID()}.pdf`);
    writeFileSync(file, PDF);
    await page.setInputFiles('#letterFile', file);
    await page.selectOption('#serviceCode', 'hamta.imei-status');
    await page.fill('#contactName', 'علی رضایی');
    await page.fill('#contactEmail', 'ali@customs.example.ir');
    await page.fill('#contactPhone', '021-88776655');
    await page.click('#save');
    await page.locator('#complete.ok').waitFor();
    expect(await page.locator('#deficiencies li').count()).toBe(0);
    expect(await page.isDisabled('#submit')).toBe(false);
    await shot('3-complete');
    await page.click('#submit');
    await page.locator('#state', { hasText: /^SUBMITTED$/ }).waitFor();
    await shot('4-sent-to-expert');
  }, 60_000);

  it('the expert claims, evaluates and approves in /review', async () => {
    await page.goto(`${svc.url}/review#token=${tokens.expert}`);
    await page.reload();
    await page.click('#load');
    await page.waitForSelector('#queue tr');
    await page.click('#queue tr');
    await page.click('#claim');
    await page.locator('#state', { hasText: /^IN_REVIEW$/ }).waitFor();
    await page.selectOption('#priority', 'HIGH');
    await page.click('#evaluate');
    await page.waitForSelector('body[data-done="evaluation"]');
    await page.click('#approve');
    await page.locator('#state', { hasText: /^APPROVED$/ }).waitFor();
    await shot('5-approved');
  }, 60_000);
});
