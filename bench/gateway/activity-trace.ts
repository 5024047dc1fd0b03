// What happened around each slow answer of a paced run (bench:gateway --trace): time-stamped on
// the wall clock (performance.timeOrigin + performance.now(), comparable across processes), so
// the paced client's slow stretches can be laid over
// - the gateway's timers firing (setInterval/setTimeout callbacks of ≥ 50 ms: status poller,
//   denylist refresh, exchange-log flush, pg/undici housekeeping), with the time each took and
//   the place that created it;
// - its GC pauses and event-loop blocks;
// - the time its main thread spent runnable but waiting for a CPU (/proc/<pid>/task/<tid>/schedstat,
//   2nd field), i.e. the machine's other processes taking both cores;
// - the machine's runnable-thread count (/proc/stat procs_running).
// Timer wrapping captures a stack per timer created, so it is on only with --trace.
import { readFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';

export interface ActivityEvent {
  /** Wall-clock epoch ms. */
  at: number;
  ms: number;
  kind: 'timer' | 'gc' | 'block' | 'runqueue' | 'busy-machine';
  detail: string;
}

const now = () => performance.timeOrigin + performance.now();

/** ns the thread has waited on a run queue so far (NaN where /proc is not there). */
export function runQueueWaitNs(pid: number, tid = pid): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}

function procsRunning(): number {
  try {
    const text = readFileSync('/proc/stat', 'utf8');
    const i = text.indexOf('procs_running ');
    return i < 0 ? NaN : Number.parseInt(text.slice(i + 14), 10);
  } catch {
    return NaN;
  }
}

const TIMER_MIN_DELAY_MS = 50;
let installed = false;
let sink: ActivityEvent[] | null = null;

/** Wraps global setInterval/setTimeout (call before the gateway starts): callbacks of ≥ 50 ms timers are recorded while a trace runs. */
export function installTimerTrace(): void {
  if (installed) return;
  installed = true;
  const wrap = <T extends (...a: never[]) => unknown>(original: T): T =>
    function (this: unknown, callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]) {
      if (typeof callback !== 'function' || (delay ?? 0) < TIMER_MIN_DELAY_MS) return (original as unknown as (...a: unknown[]) => unknown).call(this, callback, delay, ...args);
      const origin = new Error();
      const traced = function (this: unknown, ...a: unknown[]) {
        const start = now();
        try {
          return callback.apply(this, a);
        } finally {
          if (sink) sink.push({ at: start, ms: now() - start, kind: 'timer', detail: `${delay} ms from ${siteOf(origin)}` });
        }
      };
      return (original as unknown as (...a: unknown[]) => unknown).call(this, traced, delay, ...args);
    } as unknown as T;
  globalThis.setInterval = wrap(globalThis.setInterval);
  globalThis.setTimeout = wrap(globalThis.setTimeout);
}

function siteOf(err: Error): string {
  const frames = (err.stack ?? '').split('\n').slice(2);
  const own = frames.find((f) => !f.includes('node:') && !f.includes('activity-trace')) ?? frames[0] ?? '';
  return own.trim().replace(/^at /, '').replace(/file:\/\/\/work\/[^/]+\//, '').replace(/\(\/work\/[^/]+\//, '(');
}

/** Records the gateway process's activity until stop(). */
export function traceActivity(): { stop(): ActivityEvent[] } {
  const events: ActivityEvent[] = [];
  sink = events;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < 2) continue;
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      const name = kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'scavenge' : kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL ? 'incremental' : 'weak';
      events.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, kind: 'gc', detail: name });
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  let lastTick = now();
  let lastWait = runQueueWaitNs(process.pid);
  let machineBusySince: number | null = null;
  let machineMax = 0;
  const ticker = setInterval(() => {
    const t = now();
    const gap = t - lastTick - 5;
    if (gap > 10) events.push({ at: lastTick, ms: gap, kind: 'block', detail: 'event loop' });
    const wait = runQueueWaitNs(process.pid);
    const waitedMs = (wait - lastWait) / 1e6;
    if (waitedMs >= 1) events.push({ at: lastTick, ms: waitedMs, kind: 'runqueue', detail: `waited ${waitedMs.toFixed(1)} ms for a CPU within ${(t - lastTick).toFixed(1)} ms` });
    const running = procsRunning();
    if (running > 2) {
      machineBusySince ??= lastTick;
      machineMax = Math.max(machineMax, running);
    } else if (machineBusySince !== null) {
      events.push({ at: machineBusySince, ms: t - machineBusySince, kind: 'busy-machine', detail: `up to ${machineMax} runnable threads on 2 cores` });
      machineBusySince = null;
      machineMax = 0;
    }
    lastWait = wait;
    lastTick = t;
  }, 5);
  return {
    stop() {
      clearInterval(ticker);
      gc.disconnect();
      sink = null;
      return events.sort((a, b) => a.at - b.at);
    },
  };
}

/** Events overlapping [from, to] (epoch ms), widened by `margin` ms before. */
export function around(events: readonly ActivityEvent[], from: number, to: number, margin = 30): ActivityEvent[] {
  return events.filter((e) => e.at + e.ms >= from - margin && e.at <= to);
}

export function formatEvent(e: ActivityEvent, origin: number): string {
  return `${((e.at - origin) / 1000).toFixed(3)}s ${e.kind} ${e.ms.toFixed(1)} ms (${e.detail})`;
}
