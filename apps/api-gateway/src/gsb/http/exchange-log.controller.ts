import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { CurrentPrincipal, Public, Roles, type Principal } from '@darvazeh/auth';
import { SERVICE_CODE_PATTERN } from '@darvazeh/core';
import { CursorQueryDto, pageSize, type CursorPage } from '@darvazeh/http';
import { ExchangeLogQueries, type VerifyResult } from '../application/exchange-log.queries.js';
import type { StoredExchange, UsageRow } from '../domain/exchange-log.repository.js';
import { GatewayKeyHolder } from '../application/gateway-key.holder.js';
import { GsbMetrics } from '../application/gsb-metrics.js';

export class ExchangeFilterDto {
  @IsOptional() @IsUUID() consumerAgencyId?: string;
  @IsOptional() @IsUUID() providerAgencyId?: string;
  @IsOptional() @Matches(SERVICE_CODE_PATTERN) serviceCode?: string;
  @IsOptional() @IsIn(['allowed', 'denied', 'failed']) outcome?: string;
  @IsOptional() @IsISO8601() @Type(() => String) from?: string;
  @IsOptional() @IsISO8601() @Type(() => String) to?: string;
}

export class ExchangeListQueryDto extends CursorQueryDto {
  @IsOptional() @IsUUID() consumerAgencyId?: string;
  @IsOptional() @IsUUID() providerAgencyId?: string;
  @IsOptional() @Matches(SERVICE_CODE_PATTERN) serviceCode?: string;
  @IsOptional() @IsIn(['allowed', 'denied', 'failed']) outcome?: string;
  @IsOptional() @IsISO8601() from?: string;
  @IsOptional() @IsISO8601() to?: string;
}

export class VerifyQueryDto {
  /** `true`: recompute from row 1 instead of after the verified checkpoint. */
  @IsOptional() @IsIn(['true', 'false']) full?: string;
}

export interface ExchangeRowDto extends Omit<StoredExchange, 'at'> {
  at: string;
}

function filterOf(q: ExchangeFilterDto) {
  return {
    consumerAgencyId: q.consumerAgencyId,
    providerAgencyId: q.providerAgencyId,
    serviceCode: q.serviceCode,
    outcome: q.outcome,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

/** The GSB exchange log, its verification, usage figures, and the key its chain heads are signed with. */
@ApiTags('gsb')
@Controller('gsb')
export class ExchangeLogController {
  constructor(
    private readonly queries: ExchangeLogQueries,
    private readonly keys: GatewayKeyHolder,
    private readonly metrics: GsbMetrics,
  ) {}

  @Get('exchange-log')
  @Roles('agency', 'admin')
  @ApiOperation({
    summary: 'List GSB exchange-log rows (newest first)',
    description: 'An agency sees the calls it made and the calls to its services; an admin every row. Cursor-paginated.',
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: ExchangeListQueryDto): Promise<CursorPage<ExchangeRowDto>> {
    const page = await this.queries.list(principal, filterOf(q), pageSize(q), q.cursor);
    return { items: page.items.map((r) => ({ ...r, at: r.at.toISOString() })), nextCursor: page.nextCursor };
  }

  @Get('exchange-log/verify')
  @Roles('admin')
  @ApiOperation({
    summary: 'Verify the exchange-log hash chain',
    description:
      'Recomputes the rows after the last verified checkpoint (or every row with full=true), checks the last signed head, and names the first broken row.',
  })
  @ApiQuery({ name: 'full', required: false, enum: ['true', 'false'], description: 'true: recompute from row 1 instead of after the checkpoint' })
  async verify(@Query() q: VerifyQueryDto): Promise<VerifyResult> {
    const result = await this.queries.verify({ full: q.full === 'true' });
    this.metrics.chainVerified(result.ok);
    return result;
  }

  @Get('usage')
  @Roles('agency', 'admin')
  @ApiOperation({ summary: 'GSB usage per consumer, provider, service and environment', description: 'Scoped as the exchange log: an agency its own calls and the calls to its services.' })
  async usage(@CurrentPrincipal() principal: Principal, @Query() q: ExchangeFilterDto): Promise<{ items: UsageRow[] }> {
    return { items: await this.queries.usage(principal, filterOf(q)) };
  }

  @Get('.well-known/jwks.json')
  @Public()
  @ApiOperation({ summary: 'Public key (JWKS) of the signed exchange-log chain heads' })
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: unknown[] } {
    return { keys: [this.keys.key.publicJwk] };
  }
}
