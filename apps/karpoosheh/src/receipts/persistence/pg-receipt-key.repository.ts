import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { ReceiptKeyRepository, type StoredReceiptKey } from '../domain/receipt-key.repository.js';

@Injectable()
export class PgReceiptKeyRepository extends ReceiptKeyRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async all(): Promise<StoredReceiptKey[]> {
    return this.tx.manager().query('SELECT kid, private_jwk, public_jwk FROM receipt_keys ORDER BY created_at');
  }

  override async insert(key: StoredReceiptKey): Promise<void> {
    await this.tx.manager().query('INSERT INTO receipt_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key.kid, key.private_jwk, key.public_jwk]);
  }
}
