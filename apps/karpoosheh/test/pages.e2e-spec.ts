import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { CITIZEN_REGISTERED_V1 } from '@darvazeh/contracts';
import { MessageBus } from '@darvazeh/messaging';
import { startTestService, type TestService } from '@darvazeh/testing';
import { PDF_MIN } from './fixtures.js';
import { KarpooshehEnv } from '../src/config/karpoosheh.env.js';
import { KARPOOSHEH_SERVICE, KarpooshehModule } from '../src/karpoosheh.module.js';
import { caller, eventually } from './support.js';

const ALI = '0012345679';
const AGENCY = '0190a1b2-0000-7000-8000-0000000000cc';
const IDENTITY = 'http://identity.test';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

/**
 * The two pages in headless Chromium: an agency sends from /panel (typed recipients and an
 * attachment), the citizen reads it in /inbox (open = VIEWED) and downloads the attachment.
 * Identity's token and OTP endpoints are answered by the test (Playwright routes) with tokens of
 * the TestIssuer the service trusts: the pages' sign-in calls are exercised, identity is not.
 */
describe('karpoosheh pages in Chromium', () => {
  let svc: TestService<KarpooshehEnv>;
  let browser: Browser;
  const t: Record<string, string> = {};
  const call = caller(() => svc);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    svc = await startTestService({ service: KARPOOSHEH_SERVICE, envClass: KarpooshehEnv, module: (env) => KarpooshehModule.register(env), label: 'karpoosheh_pages', bus: 'in-process', env: { IDENTITY_PUBLIC_URL: IDENTITY } });
    t.agency = await svc.issuer.mintToken({ sub: 'client-panel', roles: ['agency'], agency_id: AGENCY });
    t.admin = await svc.issuer.mintToken({ sub: 'admin', roles: ['admin'] });
    t.ali = await svc.issuer.mintToken({ sub: 'citizen-ali', roles: ['citizen'], national_code: ALI });
    await svc.app.get(MessageBus).publish([
      { specversion: '1.0', id: randomUUID(), type: CITIZEN_REGISTERED_V1, source: '/t', subject: ALI, time: new Date().toISOString(), topic: 'identity.principals', data: { citizenId: randomUUID(), nationalCode: ALI, registeredAt: new Date().toISOString() } },
    ]);
    const ds = svc.app.get(DataSource);
    await eventually(() => ds.query('SELECT count(*)::int AS n FROM citizens'), (r) => r[0].n === 1);
    await call('/senders/me/access-request', { method: 'POST', token: t.agency });
    await call(`/senders/${AGENCY}/grant`, { method: 'POST', token: t.admin });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  it('sends from the panel and reads, opens and downloads in the inbox', async () => {
    const panel = await browser.newPage();
    await panel.route(`${IDENTITY}/oauth/token`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ access_token: t.agency, token_type: 'Bearer', expires_in: 900 }) }),
    );
    await panel.goto(`${svc.url}/panel`);
    expect(await panel.getAttribute('html', 'dir')).toBe('rtl');
    expect(await panel.getAttribute('html', 'lang')).toBe('fa');
    await panel.fill('#clientId', 'client-panel');
    await panel.fill('#clientSecret', 'secret-secret-secret');
    await panel.click('#signIn');
    await panel.fill('#recipients', ALI);
    await panel.fill('#subject', 'اخطاریه پرداخت عوارض');
    await panel.fill('#body', 'لطفاً تا پایان ماه نسبت به پرداخت اقدام فرمایید.');
    await panel.fill('#category', 'tax');
    await panel.setInputFiles('#files', { name: 'صورتحساب.pdf', mimeType: 'application/pdf', buffer: PDF_MIN });
    await panel.click('#send');
    await panel.waitForSelector(`tr[data-recipient="${ALI}"] .state:text("DELIVERED")`);
    await panel.screenshot({ path: `${SHOTS}panel-sent.png`, fullPage: true });

    const inbox = await browser.newPage({ acceptDownloads: true });
    await inbox.route(`${IDENTITY}/citizens/otp`, (route) => route.fulfill({ status: 202, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: '{"expiresIn":120}' }));
    await inbox.route(`${IDENTITY}/citizens/otp/verify`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ access_token: t.ali, token_type: 'Bearer', expires_in: 900 }) }),
    );
    await inbox.goto(`${svc.url}/inbox`);
    await inbox.fill('#nationalCode', ALI);
    await inbox.click('#requestOtp');
    await inbox.fill('#otp', '123456');
    await inbox.click('#verifyOtp');
    const item = inbox.locator('li.item.unread', { hasText: 'اخطاریه پرداخت عوارض' });
    await item.waitFor();
    // The badge is filled after the list (a second request): wait for it, do not race it.
    await inbox.waitForSelector('#unread:not(.hidden):text("1")');
    await inbox.screenshot({ path: `${SHOTS}inbox-list.png`, fullPage: true });
    await item.locator('a').click();
    await inbox.waitForSelector('#reader:not(.hidden)');
    expect(await inbox.textContent('#readBody')).toContain('پرداخت اقدام');
    await inbox.screenshot({ path: `${SHOTS}inbox-opened.png`, fullPage: true });
    const [download] = await Promise.all([inbox.waitForEvent('download'), inbox.click('#readAttachments a')]);
    expect(download.suggestedFilename()).toBe('صورتحساب.pdf');

    const noticeId = await item.getAttribute('data-id');
    const status = await call(`/notices/${noticeId}/recipients/${ALI}`, { token: t.agency });
    expect(status.json).toMatchObject({ state: 'VIEWED', readBy: ALI });
    const ds = svc.app.get(DataSource);
    expect((await ds.query('SELECT count(*)::int AS n FROM attachment_downloads'))[0].n).toBe(1);
    await panel.click('#refresh');
    await panel.waitForSelector(`tr[data-recipient="${ALI}"] .state:text("VIEWED")`);
    // Two browser pages on a shared 2-core machine take longer than jest's 5 s default (the
    // project-level testTimeout is not applied per test here); behaviour is asserted, not speed.
  }, 60_000);
});
