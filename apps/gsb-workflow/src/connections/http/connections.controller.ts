import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { TransactionRunner } from '@darvazeh/database';
import { isStaff } from '../../shared/domain/actor.js';
import { actorOf, requireAgency } from '../../shared/http/actor.js';
import { CreateRequestUseCase } from '../../requests/application/create-request.use-case.js';
import { RequestFieldsDto, toRequestResponse, type RequestResponseDto } from '../../requests/http/request.dto.js';
import { ConnectionsRepository } from '../persistence/connections.repository.js';

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
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
  ) {}

  /** Active connections of the caller's agency (experts/admins: any agency, or all). */
  @Get()
  @Roles('agency', 'expert', 'admin')
  async list(@CurrentPrincipal() p: Principal, @Query() q: ConnectionsQueryDto) {
    const actor = actorOf(p);
    const agencyId = isStaff(actor) ? (q.agencyId ?? null) : (actor.agencyId ?? '00000000-0000-0000-0000-000000000000');
    const items = await this.connections.list(this.tx.manager(), agencyId);
    return { items: items.map((c) => ({ ...c, activatedAt: c.activatedAt.toISOString() })) };
  }

  /**
   * Starts a connection request (a draft: environments, systems, IP ranges, credential,
   * technical contact); it then goes the same way as a service request: PATCH /requests/{id},
   * GET /requests/{id}/deficiencies, POST /requests/{id}/submit, an expert's review.
   */
  @Post('requests')
  @Roles('agency')
  @HttpCode(201)
  async start(@CurrentPrincipal() p: Principal, @Body() body: RequestFieldsDto): Promise<RequestResponseDto> {
    return toRequestResponse(await this.create.execute(requireAgency(p), 'CONNECTION', body), p.roles);
  }
}
