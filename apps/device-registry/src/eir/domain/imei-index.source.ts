/**
 * Port: where the EIR index is loaded from at start (and on reload). The abstract class is also
 * the Nest injection token. `onSeen` gets each IMEI core with its first sighting day (days since
 * 1970-01-01), `onFlags` each registered IMEI core with its imei-index flags.
 */
export abstract class ImeiIndexSource {
  abstract load(onSeen: (imei: number, day: number) => void, onFlags: (imei: number, flags: number) => void): Promise<void>;
}
