/** An agency's active (or suspended) connection to GSB or PGSB (steps 4–5). */
export interface Connection {
  agencyId: string;
  environment: 'GSB' | 'PGSB';
  status: 'ACTIVE' | 'SUSPENDED';
  requestId: string | null;
  ipRanges: string[];
  credential: { type: string; ref: string };
  activatedAt: Date;
}

/**
 * Port of agencies' connections to GSB/PGSB. The abstract class is also the Nest injection
 * token; implementations join the calling use case's ambient transaction.
 */
export abstract class ConnectionRepository {
  /** The environments the agency has an ACTIVE connection to, sorted. */
  abstract activeEnvironments(agencyId: string): Promise<string[]>;
  /** agencyId null: every agency's (at most 1000). */
  abstract list(agencyId: string | null): Promise<Connection[]>;
  /** Creates or re-activates the connection of (agency, environment). */
  abstract activate(c: Connection): Promise<void>;
}
