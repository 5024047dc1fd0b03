import type { IssuerDirectory } from '../../issuers/application/issuer-directory.js';
import type { StatusBook } from '../../certificates/application/status-book.js';
import type { ResponseSigner } from '../../ocsp/application/response-signer.js';
import { cachedResponse, type PresignedResponseCache } from './presigned-response.cache.js';
import type { PresignedResponseStore } from './presigned-response.store.js';

export interface RestoreResult {
  restored: number;
  /** Built from an older status record: dropped. */
  staleStatus: number;
  /** Signed under another signing profile (a setting, the signer's key or certificate changed): dropped. */
  otherProfile: number;
}

/**
 * Puts the stored pre-signed responses back into the cache at start — only those that the
 * responder would sign identically now: same status version and same signing profile. The rest
 * are left to the re-signing job, which signs every certificate lacking a cached answer.
 */
export class PresignedResponseRestorer {
  constructor(
    private readonly store: PresignedResponseStore,
    private readonly directory: IssuerDirectory,
    private readonly book: StatusBook,
    private readonly cache: PresignedResponseCache,
    private readonly signer: ResponseSigner,
  ) {}

  async restore(): Promise<RestoreResult> {
    const result: RestoreResult = { restored: 0, staleStatus: 0, otherProfile: 0 };
    for (const row of await this.store.loadAll()) {
      const issuer = this.directory.getById(row.issuerId);
      if (!issuer) continue;
      const status = this.book.get(row.issuerId, row.serial);
      if (!status || status.updatedAt.getTime() !== row.statusVersion.getTime()) {
        result.staleStatus++;
        continue;
      }
      if (row.profile !== this.signer.profileOf(issuer)) {
        result.otherProfile++;
        continue;
      }
      this.cache.put(cachedResponse({ ...row, issuerAlias: issuer.issuer.alias }));
      result.restored++;
    }
    return result;
  }
}
