import { Inject, Injectable } from '@nestjs/common';
import { GsbSettings } from '../../config/gsb-settings.js';
import { findDeficiencies, type Deficiency } from '../domain/deficiencies.js';
import { notFound } from '../../shared/domain/gsb.errors.js';
import type { Actor } from '../../shared/domain/actor.js';
import { draftOf, type RequestRecord } from '../domain/request.js';
import { RequestFactsRepository, type RequestFactsSnapshot } from '../domain/request-facts.repository.js';
import { isRequestId, maySeeRequest } from './request-access.js';

/** The local calendar date (YYYY-MM-DD) of `at`; one formatter per time zone (building one costs more than the format). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function localDate(tz: string, at: Date): string {
  let f = dateFormats.get(tz);
  if (!f) dateFormats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}

/** What a submit needs: the deficiencies (steps 11–12) and whether the agency is connected (steps 4–5). */
export interface SubmitFacts {
  deficiencies: Deficiency[];
  connected: boolean;
  snapshot: RequestFactsSnapshot;
}

/** Looks up what the deficiency rules and the workflow guards need to know about a request. */
@Injectable()
export class RequestFacts {
  constructor(
    @Inject(GsbSettings) private readonly settings: GsbSettings,
    @Inject(RequestFactsRepository) private readonly facts: RequestFactsRepository,
  ) {}

  lookup(r: RequestRecord): Promise<RequestFactsSnapshot> {
    return this.facts.lookup(r);
  }

  /**
   * A request the caller may see (else GSB.REQUEST_NOT_FOUND, as loadVisibleRequest) with its
   * facts, in one read.
   */
  async visibleRequestWithFacts(actor: Actor, id: string): Promise<{ request: RequestRecord; facts: RequestFactsSnapshot }> {
    const found = isRequestId(id) ? await this.facts.requestWithFacts(id) : null;
    if (!found || !maySeeRequest(actor, found.request)) throw notFound('GSB.REQUEST_NOT_FOUND', `no request ${id}`);
    return found;
  }

  /** The deficiencies and the connection guard of a submit, from facts already read. */
  evaluate(r: RequestRecord, snapshot: RequestFactsSnapshot, now = new Date()): SubmitFacts {
    const { service, connectedEnvironments, activeGrant, openRequestId } = snapshot;
    const list = findDeficiencies(
      draftOf(r),
      {
        service,
        activeGrant: r.kind === 'SERVICE' && !!r.serviceCode && !!r.environment && activeGrant,
        openRequestId,
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
    // Steps 4–5: a service request needs an active connection to its environment; a connection request needs none.
    const connected = r.kind === 'CONNECTION' || (!!r.environment && connectedEnvironments.includes(r.environment));
    return { deficiencies: list, connected, snapshot };
  }
}
