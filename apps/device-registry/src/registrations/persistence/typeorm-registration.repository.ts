import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { RegistrationRepository, type RegistrationFacts, type RecordedRegistration, type StoredRegistrationRow } from '../domain/registration.repository.js';

/**
 * SQL of a registration decision, in as few round trips as the rules allow: each statement on this
 * path is a loopback round trip and a wake-up of a Postgres backend, which the profile of
 * bench:hamta-register showed as the largest cost (socket writes ~30% of the app's CPU).
 */
@Injectable()
export class TypeOrmRegistrationRepository extends RegistrationRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async lockIdempotencyKey(nationalCode: string, key: string): Promise<void> {
    await this.m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${nationalCode}/${key}`]);
  }

  override async findByIdempotencyKey(nationalCode: string, key: string): Promise<StoredRegistrationRow | null> {
    const [r] = await this.m.query(`SELECT * FROM registrations WHERE national_code = $1 AND idempotency_key = $2`, [nationalCode, key]);
    return r ?? null;
  }

  /**
   * Serialises concurrent registrations of the same IMEIs (rows may not exist yet to lock), in
   * IMEI order so two multi-IMEI requests cannot deadlock. Its own statement: the facts must be
   * read by a later statement, whose snapshot sees the winner's commit.
   */
  override async lockImeis(cores: number[]): Promise<void> {
    await this.m.query('SELECT pg_advisory_xact_lock(c) FROM (SELECT DISTINCT unnest($1::bigint[]) AS c ORDER BY 1) x', [cores]);
  }

  /**
   * Sightings before the cut-off (any SIM; this SIM; this SIM while the caller held it), existing
   * devices and the SIM's owner now, in one statement. "While the caller held it": a sighting row
   * is one IMSI's, from its first to its last day; its pre-cut-off part must overlap one of the
   * caller's ownership periods of the number (from valid_from to valid_to or the next row), so a
   * recycled number, or a SIM swapped in after the cut-off, proves nothing (issue 15.4).
   */
  override async facts(cores: number[], msisdn: string, nationalCode: string, cutoffDate: string): Promise<RegistrationFacts> {
    const [row] = await this.m.query(
      `WITH held AS (
         SELECT valid_from, until FROM (
           SELECT national_code, valid_from,
                  LEAST(coalesce(valid_to, 'infinity'), coalesce(lead(valid_from) OVER (ORDER BY valid_from), 'infinity')) AS until
             FROM subscriber_ownerships WHERE msisdn = $4) o
          WHERE national_code = $5)
       SELECT
         (SELECT coalesce(json_agg(json_build_object('imei', imei::text, 'seen', seen, 'with', seen_with, 'owned', seen_owned)), '[]')
            FROM (SELECT imei, bool_or(first_seen < $2::date) AS seen, bool_or(first_seen < $2::date AND msisdn = $3::bigint) AS seen_with,
                         bool_or(first_seen < $2::date AND msisdn = $3::bigint AND EXISTS (
                           SELECT 1 FROM held
                            WHERE held.valid_from < ((LEAST(last_seen, $2::date - 1) + 1)::timestamp AT TIME ZONE 'UTC')
                              AND held.until > (first_seen::timestamp AT TIME ZONE 'UTC'))) AS seen_owned
                    FROM sightings WHERE imei = ANY($1::bigint[]) GROUP BY imei) s) AS seen,
         (SELECT coalesce(json_agg(json_build_object('imei', di.imei::text, 'owner', d.owner_national_code, 'stolen', d.stolen, 'blocked', d.blocked)), '[]')
            FROM device_imeis di JOIN devices d ON d.id = di.device_id WHERE di.imei = ANY($1::bigint[])) AS devices,
         (SELECT CASE WHEN valid_to IS NULL OR valid_to > now() THEN national_code END
            FROM subscriber_ownerships WHERE msisdn = $4 AND valid_from <= now() ORDER BY valid_from DESC LIMIT 1) AS owner`,
      [cores, cutoffDate, msisdn, msisdn, nationalCode],
    );
    const seen = new Map<number, { seen: boolean; seenWith: boolean; seenOwned: boolean }>();
    for (const s of row.seen as { imei: string; seen: boolean; with: boolean; owned: boolean }[]) seen.set(Number(s.imei), { seen: s.seen, seenWith: s.with, seenOwned: s.owned });
    const devices = new Map<number, { owner: string; stolen: boolean; blocked: boolean }>();
    for (const d of row.devices as { imei: string; owner: string; stolen: boolean; blocked: boolean }[]) devices.set(Number(d.imei), d);
    return { seen, devices, msisdnOwner: (row.owner as string | null) ?? null };
  }

  /** The decision, and for an approval the device, its IMEIs and its first history entry: one statement. */
  override async record(r: RecordedRegistration): Promise<void> {
    const params = [r.id, r.nationalCode, r.idempotencyKey, r.fingerprint, r.msisdn, r.imeis, r.device ? 'approved' : 'rejected', JSON.stringify(r.reasons), r.device?.id ?? null, r.at];
    if (!r.device) {
      await this.m.query(
        `INSERT INTO registrations (id, national_code, idempotency_key, fingerprint, msisdn, imeis, outcome, reasons, device_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        params,
      );
      return;
    }
    // Data-modifying CTEs all run, and the foreign keys are checked at the end of the statement.
    await this.m.query(
      `WITH device AS (
         INSERT INTO devices (id, owner_national_code, msisdn, registered_at, updated_at) VALUES ($9::uuid, $2::text, $5::text, $10::timestamptz, $10::timestamptz)),
       imeis AS (
         INSERT INTO device_imeis (imei, device_id, slot) SELECT imei, $9::uuid, ord FROM unnest($11::bigint[]) WITH ORDINALITY AS t(imei, ord)),
       history AS (
         INSERT INTO device_history (device_id, at, action, actor, visible_to, details)
         VALUES ($9::uuid, $10::timestamptz, 'registered', $2::text, ARRAY[$2::text]::char(10)[], jsonb_build_object('registrationId', $1::uuid, 'msisdn', $5::text)))
       INSERT INTO registrations (id, national_code, idempotency_key, fingerprint, msisdn, imeis, outcome, reasons, device_id, created_at)
       VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text[], $7::text, $8::jsonb, $9::uuid, $10::timestamptz)`,
      [...params, r.device.cores],
    );
  }
}
