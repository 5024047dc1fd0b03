import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { TransactionRunner } from '@darvazeh/database';
import { CursorQueryDto, decodeCursor, pageSize, toCursorPage } from '@darvazeh/http';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';
import { requireAgency } from '../../shared/http/principal-guards.js';
import { SenderAccessUseCases, toSenderView } from '../application/sender-access.use-cases.js';
import { SenderRepository } from '../domain/sender.repository.js';

export class CallbackDto {
  @ApiPropertyOptional({ nullable: true, description: 'https URL (http allowed outside production); null removes it' })
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  callbackUrl!: string | null;
}

export class SuspendDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class SenderListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: ['REQUESTED', 'GRANTED', 'SUSPENDED'] })
  @IsOptional()
  @IsIn(['REQUESTED', 'GRANTED', 'SUSPENDED'])
  status?: 'REQUESTED' | 'GRANTED' | 'SUSPENDED';
}

export class WebhookListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: ['PENDING', 'DELIVERED', 'PARKED'] })
  @IsOptional()
  @IsIn(['PENDING', 'DELIVERED', 'PARKED'])
  status?: 'PENDING' | 'DELIVERED' | 'PARKED';
}

/** The agency's own access and callback. */
@ApiTags('senders')
@Controller('senders/me')
@Roles('agency')
export class MySenderController {
  constructor(
    @Inject(SenderAccessUseCases) private readonly access: SenderAccessUseCases,
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
  ) {}

  @ApiOperation({ summary: 'Ask for access to send notices' })
  @Post('access-request')
  @HttpCode(200)
  request(@CurrentPrincipal() p: Principal) {
    return this.access.request(requireAgency(p), p.subject);
  }

  @ApiOperation({ summary: "My agency's sender access" })
  @Get()
  async me(@CurrentPrincipal() p: Principal) {
    const view = await this.access.get(requireAgency(p));
    if (!view) throw new KarpooshehError('KARPOOSHEH.ACCESS_NOT_REQUESTED', 'not_found', 'Your agency has not asked for access.', { hint: 'POST /senders/me/access-request' });
    return view;
  }

  /** Returns the signing secret once; store it to verify x-karpoosheh-signature. */
  @ApiOperation({ summary: 'Set the webhook callback URL (returns the signing secret once)' })
  @Put('callback')
  callback(@CurrentPrincipal() p: Principal, @Body() body: CallbackDto) {
    return this.access.setCallback(requireAgency(p), body.callbackUrl);
  }

  /** Webhook deliveries (PARKED ones: gave up after 24 h or a final 4xx). */
  @ApiOperation({ summary: 'My webhook deliveries (?status=PARKED)' })
  @Get('webhooks')
  async webhooks(@CurrentPrincipal() p: Principal, @Query() q: WebhookListQueryDto) {
    const limit = pageSize(q);
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { id: string } => typeof v.id === 'string' && /^[0-9]+$/.test(v.id)).id : null;
    const rows: { id: string; event_id: string; event_type: string; status: string; attempts: number; last_status: number | null; last_error: string | null; next_attempt_at: Date; created_at: Date; delivered_at: Date | null }[] =
      await this.tx.manager().query(
        `SELECT id, event_id, event_type, status, attempts, last_status, last_error, next_attempt_at, created_at, delivered_at FROM webhook_deliveries
          WHERE agency_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
        [requireAgency(p), q.status ?? null, after, limit + 1],
      );
    return toCursorPage(rows, limit, (r) => ({ id: String(r.id) }), (r) => ({
      eventId: r.event_id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at.toISOString() : null,
      createdAt: r.created_at.toISOString(),
      deliveredAt: r.delivered_at?.toISOString() ?? null,
    }));
  }

  /** Re-queues a parked delivery (a fresh 24 h of retries). */
  @ApiOperation({ summary: 'Re-queue a parked webhook delivery' })
  @Post('webhooks/:eventId/retry')
  @HttpCode(202)
  async retry(@CurrentPrincipal() p: Principal, @Param('eventId', ParseUUIDPipe) eventId: string) {
    const rows: unknown[] = await this.tx
      .manager()
      .query(`WITH u AS (UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, first_attempt_at = NULL, next_attempt_at = now() WHERE agency_id = $1 AND event_id = $2 AND status = 'PARKED' RETURNING id) SELECT * FROM u`, [requireAgency(p), eventId]);
    if (rows.length === 0) throw new KarpooshehError('KARPOOSHEH.WEBHOOK_NOT_PARKED', 'not_found', 'No parked delivery with this event id.');
    return { eventId, status: 'PENDING' };
  }
}

/** Administrators approve and suspend senders. */
@ApiTags('senders')
@Controller('senders')
@Roles('admin')
export class SendersAdminController {
  constructor(
    @Inject(SenderAccessUseCases) private readonly access: SenderAccessUseCases,
    @Inject(SenderRepository) private readonly senders: SenderRepository,
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
  ) {}

  @ApiOperation({ summary: 'List senders (?status=)' })
  @Get()
  async list(@Query() q: SenderListQueryDto) {
    const limit = pageSize(q);
    const after = q.cursor ? decodeCursor(q.cursor, (v): v is { a: string } => typeof v.a === 'string').a : undefined;
    const rows = await this.senders.list(q.status, limit + 1, after);
    return toCursorPage(rows, limit, (r) => ({ a: r.agency_id }), toSenderView);
  }

  @ApiOperation({ summary: 'Grant an agency access to send' })
  @Post(':agencyId/grant')
  @HttpCode(200)
  grant(@CurrentPrincipal() p: Principal, @Param('agencyId', ParseUUIDPipe) agencyId: string) {
    return this.access.grant(agencyId, p.subject);
  }

  @ApiOperation({ summary: "Suspend an agency's access" })
  @Post(':agencyId/suspend')
  @HttpCode(200)
  suspend(@CurrentPrincipal() p: Principal, @Param('agencyId', ParseUUIDPipe) agencyId: string, @Body() body: SuspendDto) {
    return this.access.suspend(agencyId, p.subject, body?.reason ?? null);
  }
}
