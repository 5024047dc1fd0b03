import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SIM a device was registered with is its registrant's personal data: after a transfer the new
 * owner must not read the previous owner's number (issue 15.6), so `devices.msisdn` is cleared on
 * transfer and may be null. Devices already transferred lose it now too.
 */
export class DeviceMsisdnPerOwner1760000003000 implements MigrationInterface {
  name = 'DeviceMsisdnPerOwner1760000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE devices ALTER COLUMN msisdn DROP NOT NULL`);
    await q.query(`UPDATE devices d SET msisdn = NULL WHERE EXISTS (SELECT 1 FROM device_transfers t WHERE t.device_id = d.id AND t.status = 'accepted')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE devices d SET msisdn = r.msisdn FROM registrations r WHERE r.device_id = d.id AND d.msisdn IS NULL`);
    await q.query(`ALTER TABLE devices ALTER COLUMN msisdn SET NOT NULL`);
  }
}
