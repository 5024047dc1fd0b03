import rateLimiterFlexible from 'rate-limiter-flexible';
import type { Pool } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

// rate-limiter-flexible is CommonJS; its named exports are read off the default export.
const { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } = rateLimiterFlexible;

/** A budget: `points` requests per key per `durationSeconds` window. */
export interface RateLimitRule {
  /** Names the budget; keys of different rules never collide (`<name>:<key>`). */
  name: string;
  points: number;
  durationSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the key has budget again (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

/**
 * Request budgets per key shared by every replica of a service, on rate-limiter-flexible (fixed
 * window) with the service's own PostgreSQL as the store: with N replicas behind a load balancer a
 * client still gets `points` per window, not N × points, which matters for brute-force damping of
 * secrets and one-time codes. If the database does not answer, a per-replica in-memory limiter
 * with the same rule decides (rate-limiter-flexible's insurance limiter), so an outage of the
 * store degrades the limit instead of failing every request. `memory()` is the single-process form
 * (embedded mode, unit tests).
 */
export class SharedRateLimiter {
  private constructor(
    readonly rule: RateLimitRule,
    private readonly limiter: InstanceType<typeof RateLimiterMemory> | InstanceType<typeof RateLimiterPostgres>,
  ) {}

  static postgres(dataSource: DataSource, rule: RateLimitRule): SharedRateLimiter {
    const options = { keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds };
    return new SharedRateLimiter(
      rule,
      new RateLimiterPostgres({
        ...options,
        storeClient: pgPoolOf(dataSource),
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        // The table comes from rateLimitMigrations: services do not create tables at run time.
        tableCreated: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
    );
  }

  static memory(rule: RateLimitRule): SharedRateLimiter {
    return new SharedRateLimiter(rule, new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds }));
  }

  /** Spends one point of `key`'s budget. */
  async take(key: string): Promise<RateLimitDecision> {
    try {
      const res = await this.limiter.consume(key, 1);
      return { allowed: true, retryAfterSeconds: 0, remaining: res.remainingPoints };
    } catch (rejection) {
      // The library rejects with a RateLimiterRes when the budget is spent, with an Error otherwise.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), remaining: 0 };
    }
  }

  /** The key's budget without spending any: `allowed` false once it is spent (failures-only budgets). */
  async peek(key: string): Promise<RateLimitDecision> {
    const res = await this.limiter.get(key);
    const remaining = res ? Math.max(0, this.rule.points - res.consumedPoints) : this.rule.points;
    if (remaining > 0 || !res) return { allowed: true, retryAfterSeconds: 0, remaining };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)), remaining: 0 };
  }

  /** Gives one point back to `key` (an action that turned out not to count). */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }
}

/** The pg Pool behind a TypeORM PostgreSQL DataSource. */
function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('SharedRateLimiter.postgres needs an initialised PostgreSQL DataSource');
  return pool;
}

export const RATE_LIMIT_TABLE = 'rate_limits';

/** The store of SharedRateLimiter.postgres, in the layout rate-limiter-flexible reads and writes. */
export class RateLimitTable1000000000100 implements MigrationInterface {
  name = 'RateLimitTable1000000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    // `expire` is epoch milliseconds (the library's choice); the library deletes expired rows hourly.
    await queryRunner.query(`
      CREATE TABLE ${RATE_LIMIT_TABLE} (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${RATE_LIMIT_TABLE}`);
  }
}

/** Add to the migrations of a service that uses SharedRateLimiter.postgres. */
export const rateLimitMigrations = RateLimitTable1000000000100;
