import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { AsyncContextSlot } from './index.js';

describe('AsyncContextSlot (one AsyncLocalStorage, a slot per concern)', () => {
  it('is empty outside any run and holds its value across awaits inside one', async () => {
    const slot = new AsyncContextSlot<string>('a');
    expect(slot.get()).toBeUndefined();
    await slot.run('x', async () => {
      await sleep(1);
      expect(slot.get()).toBe('x');
    });
    expect(slot.get()).toBeUndefined();
  });

  it('keeps the other slots when one is set inside another (either order)', async () => {
    const trace = new AsyncContextSlot<string>('trace');
    const tx = new AsyncContextSlot<number>('tx');
    await trace.run('t1', () =>
      tx.run(7, async () => {
        await sleep(1);
        expect([trace.get(), tx.get()]).toEqual(['t1', 7]);
        await trace.run('t2', async () => {
          expect([trace.get(), tx.get()]).toEqual(['t2', 7]);
        });
        expect(trace.get()).toBe('t1');
      }),
    );
  });

  it('keeps two slots of the same name apart (one per transaction runner instance)', () => {
    const first = new AsyncContextSlot<string>('transaction');
    const second = new AsyncContextSlot<string>('transaction');
    first.run('one', () => {
      expect(second.get()).toBeUndefined();
      second.run('two', () => expect([first.get(), second.get()]).toEqual(['one', 'two']));
    });
  });

  it('does not change a context already started when a later run sets the slot', async () => {
    const slot = new AsyncContextSlot<string>('s');
    const other = new AsyncContextSlot<string>('o');
    const seen: Array<string | undefined> = [];
    await slot.run('outer', async () => {
      const started = (async () => {
        await sleep(5);
        seen.push(other.get());
      })();
      await other.run('inner', async () => sleep(1));
      await started;
    });
    expect(seen).toEqual([undefined]);
  });

  it('keeps concurrent contexts apart', async () => {
    const slot = new AsyncContextSlot<number>('n');
    const results = await Promise.all(
      [1, 2, 3].map((n) => slot.run(n, async () => {
        await sleep(4 - n);
        return slot.get();
      })),
    );
    expect(results).toEqual([1, 2, 3]);
  });
});
