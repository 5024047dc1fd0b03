import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { CatalogService } from '../../catalog/domain/catalog-service.js';
import type { RequestRecord } from '../domain/request.js';
import { RequestFactsRepository, type RequestFactsSnapshot } from '../domain/request-facts.repository.js';
import { toRecord, type RequestRow } from './typeorm-request.repository.js';

const OPEN = `('SUBMITTED','IN_REVIEW','RETURNED','PENDING_SECOND_APPROVAL')`;

/**
 * The four lookups as scalar subqueries of one SELECT; each is the statement it replaces
 * (catalog by code, connections by agency, the grants_live_key lookup, the open-request index),
 * so the plan is four index probes and one round trip.
 */
const LOOKUP = `
  SELECT
    (SELECT row_to_json(s) FROM catalog_services s WHERE s.code = $2) AS service,
    ARRAY(SELECT environment FROM connections WHERE agency_id = $1 AND status = 'ACTIVE' ORDER BY environment) AS connected,
    EXISTS (SELECT 1 FROM grants WHERE consumer_agency_id = $1 AND service_code = $2 AND environment = $3 AND status <> 'REVOKED') AS active_grant,
    CASE WHEN $5::text = 'SERVICE'
      THEN (SELECT id FROM requests WHERE agency_id = $1 AND kind = 'SERVICE' AND service_code = $2 AND environment = $3 AND id <> $4 AND state IN ${OPEN} LIMIT 1)
      ELSE (SELECT id FROM requests WHERE agency_id = $1 AND kind = 'CONNECTION' AND id <> $4 AND state IN ${OPEN} LIMIT 1)
    END AS open_request_id`;

/**
 * The request row and the same four lookups, correlated to the row's own columns: a step's
 * whole read in one statement (index probes: the primary key, then as in LOOKUP).
 */
const REQUEST_WITH_FACTS = `
  SELECT r.*,
    (SELECT row_to_json(s) FROM catalog_services s WHERE s.code = r.service_code) AS facts_service,
    ARRAY(SELECT c.environment FROM connections c WHERE c.agency_id = r.agency_id AND c.status = 'ACTIVE' ORDER BY c.environment) AS facts_connected,
    EXISTS (SELECT 1 FROM grants g WHERE g.consumer_agency_id = r.agency_id AND g.service_code = r.service_code AND g.environment = r.environment AND g.status <> 'REVOKED') AS facts_active_grant,
    CASE WHEN r.kind = 'SERVICE'
      THEN (SELECT o.id FROM requests o WHERE o.agency_id = r.agency_id AND o.kind = 'SERVICE' AND o.service_code = r.service_code AND o.environment = r.environment AND o.id <> r.id AND o.state IN ${OPEN} LIMIT 1)
      ELSE (SELECT o.id FROM requests o WHERE o.agency_id = r.agency_id AND o.kind = 'CONNECTION' AND o.id <> r.id AND o.state IN ${OPEN} LIMIT 1)
    END AS facts_open_request_id
  FROM requests r WHERE r.id = $1`;

interface ServiceJson {
  code: string;
  title: string;
  description: string;
  provider_agency_id: string;
  environments: CatalogService['environments'];
  upstream_url: string;
  status: CatalogService['status'];
  version: number;
  created_at: string;
  changed_at: string;
}

@Injectable()
export class TypeOrmRequestFactsRepository extends RequestFactsRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async lookup(r: RequestRecord): Promise<RequestFactsSnapshot> {
    const [row] = await this.tx.manager().query(LOOKUP, [r.agencyId, r.serviceCode, r.environment, r.id, r.kind]);
    return snapshot(row.service, row.connected, row.active_grant, row.open_request_id);
  }

  override async requestWithFacts(id: string): Promise<{ request: RequestRecord; facts: RequestFactsSnapshot } | null> {
    const [row] = await this.tx.manager().query(REQUEST_WITH_FACTS, [id]);
    if (!row) return null;
    return { request: toRecord(row as RequestRow), facts: snapshot(row.facts_service, row.facts_connected, row.facts_active_grant, row.facts_open_request_id) };
  }
}

function snapshot(service: unknown, connected: unknown, activeGrant: unknown, openRequestId: unknown): RequestFactsSnapshot {
  const s = service as ServiceJson | null;
  return {
    service: s && {
      code: s.code,
      title: s.title,
      description: s.description,
      providerAgencyId: s.provider_agency_id,
      environments: s.environments,
      upstreamUrl: s.upstream_url,
      status: s.status,
      version: s.version,
      createdAt: new Date(s.created_at),
      changedAt: new Date(s.changed_at),
    },
    connectedEnvironments: connected as string[],
    activeGrant: activeGrant as boolean,
    openRequestId: (openRequestId as string | null) ?? null,
  };
}
