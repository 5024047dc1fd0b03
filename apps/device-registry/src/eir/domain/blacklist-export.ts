import type { Readable } from 'node:stream';

/**
 * Port: the black list files as CSV streams (`imei,reason`; `imei,change,reason,at`). The abstract
 * class is also the Nest injection token.
 */
export abstract class BlacklistExport {
  /** `imei,reason` of every stolen or blocked device's IMEIs, in IMEI order. */
  abstract full(): Promise<Readable>;
  /** `imei,change,reason,at` of one UTC day (`day` since 1970), in the order they happened. */
  abstract changesOn(day: number): Promise<Readable>;
}
