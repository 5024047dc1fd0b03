import { isIP } from 'node:net';

/** An IPv4/IPv6 address or CIDR range (`10.20.0.0/16`). */
export function isIpRange(raw: string): boolean {
  const [addr, prefix, ...rest] = raw.trim().split('/');
  if (rest.length > 0) return false;
  const v = isIP(addr);
  if (v === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const n = Number(prefix);
  return n >= 0 && n <= (v === 4 ? 32 : 128);
}
