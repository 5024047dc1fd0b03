import type { CatalogEntry, Grant } from '../domain/access-decision.js';

/**
 * The in-memory index the GSB lane decides on: catalog entries by code and grants by
 * (consumer, service, environment). Changed only after the projection's transaction commits.
 */
export class GsbDirectory {
  private readonly services = new Map<string, CatalogEntry>();
  private readonly grants = new Map<string, Grant>();
  private readonly byKey = new Map<string, Grant[]>();
  /** Agencies that hold or held a grant: the bounded set of consumer labels on /metrics. */
  readonly knownAgencies = new Set<string>();

  static key(consumer: string, service: string, environment: string): string {
    return `${consumer}|${service}|${environment}`;
  }

  putService(entry: CatalogEntry): void {
    const current = this.services.get(entry.serviceCode);
    if (current && current.version > entry.version) return;
    this.services.set(entry.serviceCode, entry);
    this.knownAgencies.add(entry.providerAgencyId);
  }

  service(code: string): CatalogEntry | undefined {
    return this.services.get(code);
  }

  allServices(): CatalogEntry[] {
    return [...this.services.values()];
  }

  putGrant(grant: Grant): void {
    const current = this.grants.get(grant.grantId);
    if (current && current.version >= grant.version) return;
    if (current) {
      const k = GsbDirectory.key(current.consumerAgencyId, current.serviceCode, current.environment);
      this.byKey.set(k, (this.byKey.get(k) ?? []).filter((g) => g.grantId !== grant.grantId));
    }
    this.grants.set(grant.grantId, grant);
    const k = GsbDirectory.key(grant.consumerAgencyId, grant.serviceCode, grant.environment);
    this.byKey.set(k, [...(this.byKey.get(k) ?? []), grant]);
    this.knownAgencies.add(grant.consumerAgencyId);
  }

  grantsFor(consumer: string, service: string, environment: string): readonly Grant[] {
    return this.byKey.get(GsbDirectory.key(consumer, service, environment)) ?? [];
  }

  get grantCount(): number {
    return this.grants.size;
  }
}
