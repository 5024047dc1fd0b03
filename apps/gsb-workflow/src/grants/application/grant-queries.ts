import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import { notFound } from '../../shared/domain/gsb.errors.js';
import { isStaff, type Actor } from '../../shared/domain/actor.js';
import { maySeeGrant, type Grant } from '../domain/grant.js';
import { GrantRepository } from '../domain/grant.repository.js';

@Injectable()
export class GrantQueries {
  constructor(
    @Inject(GrantRepository) private readonly grants: GrantRepository,
  ) {}

  async get(actor: Actor, id: string): Promise<Grant> {
    const g = await this.grants.get(id);
    if (!g || !maySeeGrant(actor, g)) throw notFound('GSB.GRANT_NOT_FOUND', `no grant ${id}`);
    return g;
  }

  /** Agencies see grants they consume or provide; experts and admins all. */
  async list(actor: Actor, q: { status?: string; serviceCode?: string; cursor?: string; limit: number }): Promise<CursorPage<Grant>> {
    const afterId = q.cursor ? decodeCursor(q.cursor, (v): v is { i: string } => typeof v.i === 'string' && /^[0-9a-f-]{36}$/.test(v.i)).i : undefined;
    const agencyId = isStaff(actor) ? null : (actor.agencyId ?? '00000000-0000-0000-0000-000000000000');
    const rows = await this.grants.list({ agencyId, status: q.status, serviceCode: q.serviceCode, afterId, limit: q.limit });
    return toCursorPage(rows, q.limit, (g) => ({ i: g.id }), (g) => g);
  }
}
