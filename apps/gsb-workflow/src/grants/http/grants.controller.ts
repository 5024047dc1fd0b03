import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { CursorQueryDto, pageSize } from '@darvazeh/http';
import { notFound } from '../../shared/domain/gsb.errors.js';
import { actorOf } from '../../shared/http/actor.js';
import { ChangeGrantStatusUseCase } from '../application/change-grant-status.use-case.js';
import { GrantQueries } from '../application/grant-queries.js';
import type { Grant, GrantAction } from '../domain/grant.js';

class GrantListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: ['ACTIVE', 'SUSPENDED', 'REVOKED'] }) @IsOptional() @IsIn(['ACTIVE', 'SUSPENDED', 'REVOKED']) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) serviceCode?: string;
}

class GrantChangeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export const toGrantResponse = (g: Grant) => ({
  grantId: g.id,
  requestId: g.requestId,
  consumerAgencyId: g.consumerAgencyId,
  providerAgencyId: g.providerAgencyId,
  serviceCode: g.serviceCode,
  environment: g.environment,
  status: g.status,
  quotaPerMinute: g.quotaPerMinute,
  quotaPerDay: g.quotaPerDay,
  validFrom: g.validFrom.toISOString(),
  validUntil: g.validUntil?.toISOString() ?? null,
  version: g.version,
  changedAt: g.changedAt.toISOString(),
  reason: g.reason,
});

@ApiTags('grants')
@Controller('grants')
export class GrantsController {
  constructor(
    @Inject(GrantQueries) private readonly queries: GrantQueries,
    @Inject(ChangeGrantStatusUseCase) private readonly change: ChangeGrantStatusUseCase,
  ) {}

  @ApiOperation({ summary: 'List access grants the caller consumes or provides (experts/admins: all)' })
  @Get()
  @Roles('agency', 'expert', 'admin')
  async list(@CurrentPrincipal() p: Principal, @Query() q: GrantListQueryDto) {
    const page = await this.queries.list(actorOf(p), { status: q.status, serviceCode: q.serviceCode, cursor: q.cursor, limit: pageSize(q) });
    return { items: page.items.map(toGrantResponse), nextCursor: page.nextCursor };
  }

  @ApiOperation({ summary: 'Read one access grant' })
  @Get(':id')
  @Roles('agency', 'expert', 'admin')
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return toGrantResponse(await this.queries.get(actorOf(p), id));
  }

  @ApiOperation({ summary: 'Suspend, reinstate or revoke a grant (admin or the provider)' })
  @Post(':id/:action')
  @Roles('agency', 'admin')
  @HttpCode(200)
  async act(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('action') action: string, @Body() body: GrantChangeDto) {
    const a = (['suspend', 'reinstate', 'revoke'] as const).find((x) => x === action);
    if (!a) throw notFound('GSB.GRANT_ACTION_UNKNOWN', `grants have no action ${action}: suspend, reinstate or revoke`);
    return toGrantResponse(await this.change.execute(actorOf(p), id, a as GrantAction, body.reason ?? null));
  }
}
