// Types for scripts/embedded-postgres.mjs (plain Node ESM so it runs before any build).
export interface EmbeddedPostgresServer {
  /** postgres://postgres:postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  startMs: number;
  /** Fast shutdown; the data dir is kept. */
  stop(): Promise<void>;
}

export declare function startEmbeddedPostgres(options?: {
  /** default <repo>/.data/postgres; kept between runs */
  dataDir?: string;
  /** default: a free port */
  port?: number;
  /** fsync off etc., for throw-away test data */
  fast?: boolean;
}): Promise<EmbeddedPostgresServer>;
