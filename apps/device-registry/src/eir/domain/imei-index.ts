/**
 * In-memory IMEI → state table for the EIR hot path: open addressing with linear probing over
 * typed arrays, so 10 million IMEIs cost ~190 MB and no garbage per lookup (a Map of 10M
 * number keys costs several times that and slows the GC). Keys are 14-digit IMEI cores.
 *
 * Packed state (uint32): bit 0 registered, bit 1 stolen, bit 2 blocked, bits 8.. first-seen day
 * (days since 1970, 0 = never seen).
 */
export const REGISTERED = 1;
export const STOLEN = 2;
export const BLOCKED = 4;
const FLAG_MASK = 0xff;
const EMPTY = -1;

export class ImeiIndex {
  private keys: Float64Array;
  private values: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.values = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private static hash(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    return h >>> 0;
  }

  private slot(key: number): number {
    const keys = this.keys;
    let i = ImeiIndex.hash(key) & this.mask;
    for (;;) {
      const k = keys[i];
      if (k === key || k === EMPTY) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Packed state, or 0 when the IMEI is unknown. */
  get(key: number): number {
    const i = this.slot(key);
    return this.keys[i] === key ? this.values[i] : 0;
  }

  private put(key: number, value: number): void {
    let i = this.slot(key);
    if (this.keys[i] !== key) {
      if ((this.count + 1) * 10 > (this.mask + 1) * 7) {
        this.grow();
        i = this.slot(key);
      }
      this.keys[i] = key;
      this.count++;
    }
    this.values[i] = value;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = (this.mask + 1) * 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.values = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k !== EMPTY) {
        const i = this.slot(k);
        this.keys[i] = k;
        this.values[i] = oldValues[j];
      }
    }
  }

  /** Records a sighting day; keeps the earliest (sightings arrive out of order). */
  noteSeen(key: number, day: number): void {
    const v = this.get(key);
    const first = v >>> 8;
    if (first !== 0 && first <= day) return;
    this.put(key, ((day << 8) | (v & FLAG_MASK)) >>> 0);
  }

  setFlags(key: number, flags: number): void {
    const v = this.get(key);
    this.put(key, ((v & ~FLAG_MASK) | (flags & FLAG_MASK)) >>> 0);
  }

  firstSeenDay(value: number): number {
    return value >>> 8;
  }
}
