import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import { notFound } from '../../shared/domain/gsb.errors.js';
import type { CatalogService } from '../domain/catalog-service.js';
import { CatalogRepository, type CatalogSearch } from '../domain/catalog.repository.js';

@Injectable()
export class CatalogQueries {
  constructor(
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
  ) {}

  async get(code: string): Promise<CatalogService> {
    const s = await this.catalog.find(code);
    if (!s) throw notFound('GSB.SERVICE_NOT_FOUND', `the catalog has no service ${code}`);
    return s;
  }

  async search(q: Omit<CatalogSearch, 'after'> & { cursor?: string }): Promise<CursorPage<CatalogService>> {
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { c: string } => typeof v.c === 'string').c : undefined;
    const rows = await this.catalog.search({ ...q, after });
    return toCursorPage(rows, q.limit, (s) => ({ c: s.code }), (s) => s);
  }
}
