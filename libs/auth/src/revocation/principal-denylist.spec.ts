import { describe, expect, it } from '@jest/globals';
import { PrincipalDenylist } from './principal-denylist.js';

describe('PrincipalDenylist', () => {
  it('denies a subject once set disabled and accepts it again once enabled', () => {
    const list = new PrincipalDenylist();
    expect(list.isDenied('op-1')).toBe(false);
    list.set('op-1', true);
    expect(list.isDenied('op-1')).toBe(true);
    list.set('op-1', false);
    expect(list.isDenied('op-1')).toBe(false);
  });

  it('reload replaces the set with the snapshot', async () => {
    const list = new PrincipalDenylist();
    list.set('gone', true);
    await list.reload(async () => ['a', 'b']);
    expect([list.isDenied('a'), list.isDenied('b'), list.isDenied('gone')]).toEqual([true, true, false]);
    expect(list.size).toBe(2);
  });

  it('a change applied while the snapshot is read wins over the (older) snapshot', async () => {
    const list = new PrincipalDenylist();
    list.set('lifted', true);
    let release!: (rows: string[]) => void;
    const reload = list.reload(() => new Promise<string[]>((resolve) => (release = resolve)));
    list.set('fresh', true);
    list.set('lifted', false);
    release(['lifted']); // read before the change committed
    await reload;
    expect(list.isDenied('fresh')).toBe(true);
    expect(list.isDenied('lifted')).toBe(false);
  });
});
