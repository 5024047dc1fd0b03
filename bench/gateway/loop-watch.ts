// What the gateway's own event loop went through during a run of bench:gateway (the gateway runs
// in the bench's main process; load generators and upstream are children): the event-loop delay
// histogram (perf_hooks.monitorEventLoopDelay), GC pauses (PerformanceObserver 'gc') and the
// times the loop was blocked for longer than BLOCK_MS, so a latency stall seen by the paced
// client can be matched to (or ruled out as) the gateway's loop being busy.
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const BLOCK_MS = 20;
const TICK_MS = 5;

export interface LoopReport {
  delayP50: number;
  delayP99: number;
  delayMax: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  majorGcCount: number;
  /** V8 heap in use at the start and the end of the watch (MiB): growth across runs is a leak. */
  heapStartMb: number;
  heapEndMb: number;
  /** CPU the process used (user + system) as a share of one core over the watch. */
  cpuOfOneCore: number;
  /** Loop blocked longer than BLOCK_MS: seconds into the watch and length in ms. */
  blocks: { at: number; ms: number }[];
}

export function watchLoop(): { stop(): LoopReport } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const gc = { count: 0, totalMs: 0, maxMs: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if (((entry as unknown as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const heapStart = process.memoryUsage().heapUsed;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const blocks: LoopReport['blocks'] = [];
  let last = started;
  const ticker = setInterval(() => {
    const now = performance.now();
    const gap = now - last - TICK_MS;
    if (gap > BLOCK_MS) blocks.push({ at: Math.round(last - started) / 1000, ms: Math.round(gap) });
    last = now;
  }, TICK_MS);
  delay.enable();
  return {
    stop(): LoopReport {
      delay.disable();
      clearInterval(ticker);
      observer.disconnect();
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      return {
        delayP50: ms(delay.percentile(50)),
        delayP99: ms(delay.percentile(99)),
        delayMax: ms(delay.max),
        gcCount: gc.count,
        gcTotalMs: Math.round(gc.totalMs),
        gcMaxMs: Math.round(gc.maxMs * 10) / 10,
        majorGcCount: gc.major,
        heapStartMb: Math.round(heapStart / 2 ** 20),
        cpuOfOneCore: (() => {
          const used = process.cpuUsage(cpuStart);
          return Math.round(((used.user + used.system) / 1000 / (performance.now() - started)) * 100) / 100;
        })(),
        heapEndMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        blocks,
      };
    },
  };
}

export function formatLoop(r: LoopReport): string {
  const blocks = r.blocks.length === 0 ? 'none' : `${r.blocks.length} (${r.blocks.slice(0, 8).map((b) => `${b.at}s:${b.ms}ms`).join(', ')}${r.blocks.length > 8 ? ', …' : ''})`;
  return `CPU ${Math.round(r.cpuOfOneCore * 100)}% of one core; event-loop delay p50 ${r.delayP50} ms, p99 ${r.delayP99} ms, max ${r.delayMax} ms; GC ${r.gcCount} pauses (${r.majorGcCount} major), total ${r.gcTotalMs} ms, longest ${r.gcMaxMs} ms; heap ${r.heapStartMb} → ${r.heapEndMb} MiB; loop blocked >${BLOCK_MS} ms: ${blocks}`;
}
