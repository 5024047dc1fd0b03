import type { Issuer } from './issuer.js';

export abstract class IssuerRepository {
  abstract findAll(): Promise<Issuer[]>;
  abstract findByAlias(alias: string): Promise<Issuer | null>;
  abstract insert(issuer: Issuer): Promise<void>;
}
