import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { ReceiptKeyRepository } from '../domain/receipt-key.repository.js';

export interface PublicJwks {
  keys: JWK[];
}

/**
 * The service's receipt key (ES256). Created on first start and kept in the database, so every
 * replica signs with the same key and old receipts stay verifiable; its public half is served at
 * /.well-known/jwks.json.
 */
@Injectable()
export class ReceiptSigner implements OnModuleInit {
  private key: { kid: string; privateKey: CryptoKey } | undefined;
  private jwks: PublicJwks = { keys: [] };

  constructor(@Inject(ReceiptKeyRepository) private readonly keys: ReceiptKeyRepository) {}

  async onModuleInit(): Promise<void> {
    // Migrations ran before init (startService); an empty table gets its first key.
    await this.load();
  }

  private async load(): Promise<void> {
    let rows = await this.keys.all();
    if (rows.length === 0) {
      const pair = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(pair.privateKey);
      const publicJwk = await exportJWK(pair.publicKey);
      const kid = `karpoosheh-receipts-${new Date().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}`;
      await this.keys.insert({ kid, private_jwk: privateJwk as Record<string, unknown>, public_jwk: publicJwk as Record<string, unknown> });
      rows = await this.keys.all();
    }
    const active = rows[rows.length - 1];
    this.key = { kid: active.kid, privateKey: (await importJWK(active.private_jwk as JWK, 'ES256')) as CryptoKey };
    this.jwks = { keys: rows.map((r) => ({ ...(r.public_jwk as JWK), kid: r.kid, alg: 'ES256', use: 'sig' })) };
  }

  publicKeys(): PublicJwks {
    return this.jwks;
  }

  /** A compact JWS over the JSON claims (typ `karpoosheh-receipt+jwt`). */
  async sign(claims: Record<string, unknown>): Promise<string> {
    if (!this.key) await this.load();
    const payload = new TextEncoder().encode(JSON.stringify(claims));
    return new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid: this.key!.kid, typ: 'karpoosheh-receipt+jwt' }).sign(this.key!.privateKey);
  }
}
