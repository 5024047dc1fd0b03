import { Inject, Injectable } from '@nestjs/common';
import { GsbSettings } from '../../config/gsb-settings.js';
import { CatalogRepository } from '../../catalog/domain/catalog.repository.js';
import { ConnectionRepository } from '../../connections/domain/connection.repository.js';
import { GrantRepository } from '../../grants/domain/grant.repository.js';
import { findDeficiencies, type Deficiency } from '../domain/deficiencies.js';
import { draftOf, type RequestRecord } from '../domain/request.js';
import { RequestRepository } from '../domain/request.repository.js';

const localDate = (tz: string, at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** Looks up what the deficiency rules and the workflow guards need to know about a request. */
@Injectable()
export class RequestFacts {
  constructor(
    @Inject(GsbSettings) private readonly settings: GsbSettings,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
    @Inject(GrantRepository) private readonly grants: GrantRepository,
    @Inject(RequestRepository) private readonly requests: RequestRepository,
  ) {}

  /** Steps 4–5: a service request needs an active connection to its environment; a connection request needs none. */
  async connected(r: RequestRecord): Promise<boolean> {
    if (r.kind === 'CONNECTION') return true;
    if (!r.environment) return false;
    return (await this.connections.activeEnvironments(r.agencyId)).includes(r.environment);
  }

  async deficiencies(r: RequestRecord, now = new Date()): Promise<Deficiency[]> {
    const service = r.serviceCode ? await this.catalog.find(r.serviceCode) : null;
    const connectedEnvironments = await this.connections.activeEnvironments(r.agencyId);
    const activeGrant = r.kind === 'SERVICE' && r.serviceCode && r.environment ? (await this.grants.live(r.agencyId, r.serviceCode, r.environment)) !== null : false;
    const list = findDeficiencies(
      draftOf(r),
      {
        service,
        activeGrant,
        openRequestId: await this.requests.openSame(r),
        connectedEnvironments,
        maxLetterBytes: this.settings.letterMaxBytes,
        today: localDate(this.settings.sla.calendar.timeZone, now),
      },
      r.agencyId,
    );
    if (r.kind === 'SERVICE' && r.environment && (r.environment === 'GSB' || r.environment === 'PGSB') && !connectedEnvironments.includes(r.environment)) {
      list.unshift({
        field: 'environment',
        code: 'NOT_CONNECTED',
        message: `این دستگاه هنوز به ${r.environment} متصل نشده است؛ ابتدا فرایند «درخواست اتصال» را انجام دهید.`,
      });
    }
    return list;
  }
}
