import type { JsonBody, TestService } from '@darvazeh/testing';
import type { KarpooshehEnv } from '../src/config/karpoosheh.env.js';

export interface CallResult {
  status: number;
  json: JsonBody;
  text: string;
  headers: Headers;
}

export function caller(svc: () => TestService<KarpooshehEnv>) {
  return async (path: string, init: { method?: string; token?: string; body?: unknown; form?: FormData; headers?: Record<string, string> } = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | FormData | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    } else if (init.form) body = init.form;
    const res = await fetch(`${svc().url}${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
    const text = await res.text();
    let json: JsonBody;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
}

export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Tokens for an agency (`sub` as its client), an admin and one citizen, with the agency's
 * Karpoosheh access requested and granted — the setup every attachment spec starts from.
 */
export async function grantedSender(
  svc: TestService<KarpooshehEnv>,
  call: ReturnType<typeof caller>,
  opts: { agencyId: string; sub: string; citizen: string },
): Promise<{ agency: string; admin: string; citizen: string }> {
  const mint = svc.issuer.mintToken.bind(svc.issuer);
  const agency = await mint({ sub: opts.sub, roles: ['agency'], agency_id: opts.agencyId });
  const admin = await mint({ sub: 'admin-1', roles: ['admin'] });
  const citizen = await mint({ sub: 'citizen-ali', roles: ['citizen'], national_code: opts.citizen });
  await call('/senders/me/access-request', { method: 'POST', token: agency });
  const granted = await call(`/senders/${opts.agencyId}/grant`, { method: 'POST', token: admin });
  if (granted.json?.status !== 'GRANTED') throw new Error(`sender not granted: ${granted.status} ${granted.text}`);
  return { agency, admin, citizen };
}
