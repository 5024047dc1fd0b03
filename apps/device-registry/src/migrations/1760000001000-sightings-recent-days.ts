import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper sightings aggregate. A growing date[] per key cost a sort and a de-duplication of the
 * array on every merge (array_agg(DISTINCT), unnest … ORDER BY): the bulk import's merge ran at
 * ~30k keys/s. Now a key keeps exact first/last seen plus `recent_days`, an int4 bitmask of the 32
 * days ending at last_seen (bit i = seen on last_seen − i), so a merge is LEAST/GREATEST and an OR
 * of two shifted masks. Days older than that window are summarised by first_seen only.
 * MSISDN and IMSI become bigint (normalised digits without leading zeros: 98… and the operator's
 * PLMN): a narrower key, faster to compare than varchar. fillfactor 80 leaves room on each page
 * so a merge that updates an existing key is a HOT update (no new index entry).
 * `hamta_seen_days(last_seen, recent_days)` lists the window's days for people and tests.
 */
export class SightingsRecentDays1760000001000 implements MigrationInterface {
  name = 'SightingsRecentDays1760000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION hamta_seen_days(last_seen date, recent_days int) RETURNS date[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT coalesce(array_agg(last_seen - b ORDER BY b DESC), '{}')
                FROM generate_series(0, 31) b WHERE recent_days & (1 << b) <> 0 $$`);
    await q.query(`
      CREATE TABLE sightings_v2 (
        imei          bigint      NOT NULL CHECK (imei BETWEEN 0 AND 99999999999999),
        msisdn        bigint      NOT NULL CHECK (msisdn BETWEEN 989000000000 AND 989999999999),
        imsi          bigint      NOT NULL CHECK (imsi BETWEEN 100000000000000 AND 999999999999999),
        operator_code varchar(16) NOT NULL,
        first_seen    date        NOT NULL,
        last_seen     date        NOT NULL,
        recent_days   int         NOT NULL CHECK (recent_days & 1 = 1),
        last_rat      varchar(8),
        CHECK (first_seen <= last_seen),
        PRIMARY KEY (imei, msisdn, imsi, operator_code)
      ) WITH (fillfactor = 80)`);
    await q.query(`
      INSERT INTO sightings_v2 (imei, msisdn, imsi, operator_code, first_seen, last_seen, recent_days, last_rat)
      SELECT imei, msisdn::bigint, imsi::bigint, operator_code, first_seen, last_seen,
             (SELECT coalesce(bit_or(1 << (last_seen - d)), 1) FROM unnest(seen_days) d WHERE last_seen - d < 32), last_rat
        FROM sightings`);
    await q.query(`DROP TABLE sightings`);
    await q.query(`ALTER TABLE sightings_v2 RENAME TO sightings`);
    await q.query(`ALTER INDEX sightings_v2_pkey RENAME TO sightings_pkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sightings_v1 (
        imei bigint NOT NULL, msisdn varchar(12) NOT NULL, imsi varchar(15) NOT NULL, operator_code varchar(16) NOT NULL,
        first_seen date NOT NULL, last_seen date NOT NULL, seen_days date[] NOT NULL, last_rat varchar(8),
        CHECK (first_seen <= last_seen), PRIMARY KEY (imei, msisdn, imsi, operator_code))`);
    await q.query(`
      INSERT INTO sightings_v1
      SELECT imei, msisdn::text, imsi::text, operator_code, first_seen, last_seen,
             ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[first_seen] || hamta_seen_days(last_seen, recent_days)) x ORDER BY x), last_rat
        FROM sightings`);
    await q.query(`DROP TABLE sightings`);
    await q.query(`ALTER TABLE sightings_v1 RENAME TO sightings`);
    await q.query(`ALTER INDEX sightings_v1_pkey RENAME TO sightings_pkey`);
    await q.query(`DROP FUNCTION hamta_seen_days(date, int)`);
  }
}
