import { createHash } from 'node:crypto';

export interface CachedResponse {
  der: Buffer;
  issuerId: string;
  issuerAlias: string;
  serial: string;
  certIdDer: Buffer;
  status: 'good' | 'revoked' | 'unknown';
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Quoted strong ETag and the HTTP date strings, computed once per signature. */
  etag: string;
  lastModified: string;
  expires: string;
  /** `<issuerId>:<serial>`: the `x-ocsp-cert` tag the cache tier bans a certificate's answers by. */
  tag: string;
}

export function cachedResponse(fields: Omit<CachedResponse, 'etag' | 'lastModified' | 'expires' | 'tag'>): CachedResponse {
  return {
    ...fields,
    tag: `${fields.issuerId}:${fields.serial}`,
    etag: etagOf(fields.der),
    lastModified: fields.thisUpdate.toUTCString(),
    expires: fields.nextUpdate.toUTCString(),
  };
}

/** The strong ETag of an answer: its SHA-1, quoted. */
export function etagOf(der: Buffer): string {
  return `"${createHash('sha1').update(der).digest('base64url')}"`;
}

/**
 * Pre-signed responses keyed by the exact CertID DER (as a latin1 string) of the requests they
 * answer, with a secondary index per certificate so a status change evicts every variant
 * (SHA-1, SHA-256 … CertIDs of the same certificate).
 */
export class PresignedResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly byCertificate = new Map<string, Set<string>>();
  hits = 0;
  misses = 0;

  /** With `maxEntries`, the oldest insertion is dropped when full (a bounded cache, see OcspResponder). */
  constructor(private readonly maxEntries = Infinity) {}

  get(key: string): CachedResponse | undefined {
    const hit = this.entries.get(key);
    if (hit) this.hits++;
    else this.misses++;
    return hit;
  }

  peek(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }

  put(entry: CachedResponse): void {
    const key = entry.certIdDer.toString('latin1');
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.values().next().value;
      if (oldest) this.evict(oldest.issuerId, oldest.serial);
    }
    this.entries.set(key, entry);
    const cert = certKey(entry.issuerId, entry.serial);
    let set = this.byCertificate.get(cert);
    if (!set) this.byCertificate.set(cert, (set = new Set()));
    set.add(key);
  }

  /** Drops every cached variant of one certificate's response; returns their CertIDs. */
  evict(issuerId: string, serial: string): Buffer[] {
    const cert = certKey(issuerId, serial);
    const keys = this.byCertificate.get(cert);
    if (!keys) return [];
    this.byCertificate.delete(cert);
    const certIds: Buffer[] = [];
    for (const k of keys) {
      const e = this.entries.get(k);
      if (e) certIds.push(e.certIdDer);
      this.entries.delete(k);
    }
    return certIds;
  }

  values(): IterableIterator<CachedResponse> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** thisUpdate of the stalest entry (for the "age of the oldest pre-signed response" gauge). */
  oldestThisUpdate(): Date | null {
    let oldest: Date | null = null;
    for (const e of this.entries.values()) if (!oldest || e.thisUpdate < oldest) oldest = e.thisUpdate;
    return oldest;
  }
}

const certKey = (issuerId: string, serial: string) => `${issuerId}:${serial}`;
