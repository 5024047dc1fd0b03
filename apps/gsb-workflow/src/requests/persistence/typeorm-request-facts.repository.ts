import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import type { CatalogService } from '../../catalog/domain/catalog-service.js';
import type { RequestRecord } from '../domain/request.js';
import { RequestFactsRepository, type RequestFactsSnapshot } from '../domain/request-facts.repository.js';

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
    const s = row.service as ServiceJson | null;
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
      connectedEnvironments: row.connected as string[],
      activeGrant: row.active_grant as boolean,
      openRequestId: (row.open_request_id as string | null) ?? null,
    };
  }
}
