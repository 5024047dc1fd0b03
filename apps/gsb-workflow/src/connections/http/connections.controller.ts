import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { actorOf, requireAgency } from '../../shared/http/actor.js';
import { CreateRequestUseCase } from '../../requests/application/create-request.use-case.js';
import { RequestFieldsDto, toRequestResponse, type RequestResponseDto } from '../../requests/http/request.dto.js';
import { ConnectionQueries } from '../application/connection-queries.js';

class ConnectionsQueryDto {
  @ApiPropertyOptional({ description: 'experts and admins: one agency' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

/** Steps 4–5: an agency's connections to GSB/PGSB, and the connection request that makes one. */
@ApiTags('connections')
@Controller('connections')
export class ConnectionsController {
  constructor(
    @Inject(CreateRequestUseCase) private readonly create: CreateRequestUseCase,
    @Inject(ConnectionQueries) private readonly queries: ConnectionQueries,
  ) {}

  /** Active connections of the caller's agency (experts/admins: any agency, or all). */
  @ApiOperation({ summary: 'List an agency\'s active connections to GSB/PGSB' })
  @Get()
  @Roles('agency', 'expert', 'admin')
  async list(@CurrentPrincipal() p: Principal, @Query() q: ConnectionsQueryDto) {
    const items = await this.queries.list(actorOf(p), q.agencyId);
    return { items: items.map((c) => ({ ...c, activatedAt: c.activatedAt.toISOString() })) };
  }

  /**
   * Starts a connection request (a draft: environments, systems, IP ranges, credential,
   * technical contact); it then goes the same way as a service request: PATCH /requests/{id},
   * GET /requests/{id}/deficiencies, POST /requests/{id}/submit, an expert's review.
   */
  @ApiOperation({ summary: 'Start a connection request (draft) to GSB and/or PGSB' })
  @Post('requests')
  @Roles('agency')
  @HttpCode(201)
  async start(@CurrentPrincipal() p: Principal, @Body() body: RequestFieldsDto): Promise<RequestResponseDto> {
    return toRequestResponse(await this.create.execute(requireAgency(p), 'CONNECTION', body), p.roles);
  }
}
