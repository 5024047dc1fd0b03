// Types for scripts/kafka/kafka-broker.mjs (plain Node ESM so it runs before any build).
export declare const DEFAULT_KAFKA_VERSION: string;
export declare const DEFAULT_LOG4J_VERSION: string;
export declare const DEFAULT_SLF4J_VERSION: string;
export declare const DEFAULT_CACHE_DIR: string;

export interface KafkaBroker {
  /** bootstrap servers, e.g. `127.0.0.1:40123` */
  brokers: string;
  pid: number;
  dataDir: string;
  logFile: string;
  startMs: number;
  kafkaVersion: string;
  /** SIGTERM, then SIGKILL after 10 s; removes the data dir. */
  stop(): Promise<void>;
}

export declare function startKafkaBroker(options?: {
  cacheDir?: string;
  detached?: boolean;
  stateFile?: string;
  timeoutMs?: number;
}): Promise<KafkaBroker>;

export declare function ensureKafkaJars(options?: {
  cacheDir?: string;
  kafkaVersion?: string;
  log4jVersion?: string;
  slf4jVersion?: string;
}): { libsDir: string; versionDir: string; kafkaVersion: string; fetched: boolean; fetchMs: number };

export declare function stopFromState(stateFile: string): Promise<boolean>;
export declare function freePort(): Promise<number>;
