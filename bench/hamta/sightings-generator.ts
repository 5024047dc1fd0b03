import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { luhnCheckDigit } from '@darvazeh/core';

export const OPERATORS = [
  { code: 'MCI', plmn: '43211', prefix: '0912' },
  { code: 'IRANCELL', plmn: '43235', prefix: '0935' },
  { code: 'RIGHTEL', plmn: '43220', prefix: '0921' },
];

/** Deterministic PRNG (mulberry32) so runs are comparable. */
export function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The i-th device's IMEI core(s): every 4th device is dual-SIM (two consecutive serials). */
export function deviceCore(i: number): number {
  const tac = 35000000 + (i % 500) * 1117;
  return tac * 1_000_000 + Math.floor(i / 500) * 2;
}

export interface GeneratedFile {
  path: string;
  operator: (typeof OPERATORS)[number];
  rows: number;
}

/**
 * Writes one CSV per operator: `rows` rows over `days` days, devices drawn from `devices` distinct
 * devices (a quarter dual-SIM, so ~1.25 IMEIs per device), each device bound to one subscriber,
 * ~0.3% malformed IMEIs (wrong check digit, short, empty).
 */
export async function generateSightingFiles(opts: { dir: string; rows: number; devices: number; fromDay: number; days: number }): Promise<GeneratedFile[]> {
  const out: GeneratedFile[] = [];
  const perOp = Math.ceil(opts.rows / OPERATORS.length);
  const dates = Array.from({ length: opts.days }, (_, d) => new Date((opts.fromDay + d) * 86_400_000).toISOString().slice(0, 10));
  for (const [k, op] of OPERATORS.entries()) {
    const path = `${opts.dir}/sightings-${op.code}.csv`;
    const ws = createWriteStream(path, { highWaterMark: 1 << 20 });
    const rand = rng(1000 + k);
    let buf = 'date,imei,imsi,msisdn,rat\n';
    for (let r = 0; r < perOp; r++) {
      // Each operator mostly serves its own third of the devices; 10% of its rows are devices of others' (switchers).
      const base = rand() < 0.9 ? k : Math.floor(rand() * 3);
      const dev = Math.floor(rand() * (opts.devices / 3)) * 3 + base;
      let core = deviceCore(dev);
      if (dev % 4 === 0 && rand() < 0.5) core += 1;
      const c14 = String(core);
      let imei = c14 + luhnCheckDigit(c14);
      const x = rand();
      if (x < 0.001) imei = imei.slice(0, 14) + ((Number(imei[14]) + 1) % 10);
      else if (x < 0.002) imei = imei.slice(0, 12);
      else if (x < 0.003) imei = '';
      const sub = String(dev).padStart(7, '0');
      buf += `${dates[Math.floor(rand() * dates.length)]},${imei},${op.plmn}0${sub}${k}0,${op.prefix}${sub},4G\n`;
      if (buf.length > 1 << 20) {
        if (!ws.write(buf)) await once(ws, 'drain');
        buf = '';
      }
    }
    ws.end(buf);
    await once(ws, 'finish');
    out.push({ path, operator: op, rows: perOp });
  }
  return out;
}
