import type { TransactionRunner } from '@darvazeh/database';
import { SigningKeyRepository, type StoredSigningKey } from '../domain/signing-key.repository.js';

/** SQL of gateway_signing_keys. */
export class TypeOrmSigningKeyRepository extends SigningKeyRepository {
  constructor(private readonly tx: TransactionRunner) {
    super();
  }

  override async oldestPkcs8(): Promise<string | null> {
    const rows: { private_pkcs8: string }[] = await this.tx.manager().query('SELECT private_pkcs8 FROM gateway_signing_keys ORDER BY created_at, kid LIMIT 1');
    return rows[0]?.private_pkcs8 ?? null;
  }

  override async insertIfAbsent(key: StoredSigningKey): Promise<void> {
    await this.tx
      .manager()
      .query('INSERT INTO gateway_signing_keys (kid, private_pkcs8, public_jwk) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key.kid, key.privatePkcs8, key.publicJwk]);
  }
}
