import type { FieldProblem } from '@darvazeh/core';
import { isGsbEnvironment, isServiceCode, type GsbEnvironment } from '../../shared/domain/identifiers.js';
import type { Actor } from '../../shared/domain/actor.js';

export const SERVICE_STATUSES = ['ACTIVE', 'SUSPENDED', 'RETIRED'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** One service offered on GSB and/or PGSB. */
export interface CatalogService {
  code: string;
  title: string;
  description: string;
  providerAgencyId: string;
  environments: GsbEnvironment[];
  upstreamUrl: string;
  status: ServiceStatus;
  version: number;
  createdAt: Date;
  changedAt: Date;
}

export interface CatalogServiceFields {
  code?: string;
  title?: string;
  description?: string;
  providerAgencyId?: string;
  environments?: string[];
  upstreamUrl?: string;
  status?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Field problems of a catalog entry as it would be saved (all fields present). */
export function catalogProblems(s: CatalogServiceFields): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!s.code || !isServiceCode(s.code)) out.push({ field: 'code', message: 'must be a service code such as hamta.imei-status (lowercase <provider>.<service>)' });
  if (!s.title || s.title.trim().length === 0 || s.title.length > 200) out.push({ field: 'title', message: 'is required (at most 200 characters)' });
  if ((s.description ?? '').length > 2000) out.push({ field: 'description', message: 'at most 2000 characters' });
  if (!s.providerAgencyId || !UUID.test(s.providerAgencyId)) out.push({ field: 'providerAgencyId', message: "must be the provider agency's id (UUID)" });
  const envs = s.environments ?? [];
  if (envs.length === 0 || envs.some((e) => !isGsbEnvironment(e)) || new Set(envs).size !== envs.length) {
    out.push({ field: 'environments', message: 'must list GSB and/or PGSB, each once' });
  }
  let url: URL | null;
  try {
    url = new URL(s.upstreamUrl ?? '');
  } catch {
    url = null;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) out.push({ field: 'upstreamUrl', message: 'must be an http(s) URL' });
  if (!(SERVICE_STATUSES as readonly string[]).includes(s.status ?? '')) out.push({ field: 'status', message: 'must be ACTIVE, SUSPENDED or RETIRED' });
  return out;
}

/** Providers (role agency) manage their own entries; admins manage all. */
export function mayManage(actor: Actor, providerAgencyId: string): boolean {
  if (actor.roles.includes('admin')) return true;
  return actor.roles.includes('agency') && actor.agencyId !== undefined && actor.agencyId === providerAgencyId.toLowerCase();
}
