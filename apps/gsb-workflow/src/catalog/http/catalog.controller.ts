import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { pageSize, type CursorPage } from '@darvazeh/http';
import { actorOf } from '../../shared/http/actor.js';
import { CatalogQueries } from '../application/catalog-queries.js';
import { ChangeCatalogServiceUseCase } from '../application/change-catalog-service.use-case.js';
import { RegisterCatalogServiceUseCase } from '../application/register-catalog-service.use-case.js';
import {
  ChangeCatalogServiceRequestDto,
  CatalogSearchQueryDto,
  RegisterCatalogServiceRequestDto,
  toCatalogResponse,
  type CatalogServiceResponseDto,
} from './catalog.dto.js';

@ApiTags('catalog')
@Controller('catalog/services')
export class CatalogController {
  constructor(
    @Inject(CatalogQueries) private readonly queries: CatalogQueries,
    @Inject(RegisterCatalogServiceUseCase) private readonly register: RegisterCatalogServiceUseCase,
    @Inject(ChangeCatalogServiceUseCase) private readonly change: ChangeCatalogServiceUseCase,
  ) {}

  /** Every signed-in caller may browse the catalog (step 9: pick the needed service). */
  @ApiOperation({ summary: 'Search the service catalog (cursor-paginated)' })
  @Get()
  async search(@Query() q: CatalogSearchQueryDto): Promise<CursorPage<CatalogServiceResponseDto>> {
    const page = await this.queries.search({ q: q.q, environment: q.environment, providerAgencyId: q.provider, status: q.status, cursor: q.cursor, limit: pageSize(q) });
    return { items: page.items.map(toCatalogResponse), nextCursor: page.nextCursor };
  }

  @ApiOperation({ summary: 'Read one catalog entry' })
  @Get(':code')
  async get(@Param('code') code: string): Promise<CatalogServiceResponseDto> {
    return toCatalogResponse(await this.queries.get(code));
  }

  @ApiOperation({ summary: 'Add a service to the catalog (its provider or an admin)' })
  @Post()
  @Roles('agency', 'admin')
  @HttpCode(201)
  async create(@CurrentPrincipal() p: Principal, @Body() body: RegisterCatalogServiceRequestDto): Promise<CatalogServiceResponseDto> {
    return toCatalogResponse(await this.register.execute(actorOf(p), body));
  }

  @ApiOperation({ summary: 'Change a catalog entry or its status (its provider or an admin)' })
  @Patch(':code')
  @Roles('agency', 'admin')
  async update(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() body: ChangeCatalogServiceRequestDto): Promise<CatalogServiceResponseDto> {
    return toCatalogResponse(await this.change.execute(actorOf(p), code, body));
  }
}
