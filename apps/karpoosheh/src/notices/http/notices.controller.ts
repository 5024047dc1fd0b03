import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, MaxLength, validate } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { CursorQueryDto, pageSize } from '@darvazeh/http';
import { VerifyAuditChainUseCase } from '../../audit/application/verify-audit-chain.use-case.js';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { IssueReceiptUseCase } from '../../receipts/application/issue-receipt.use-case.js';
import { invalid } from '../../shared/domain/karpoosheh.errors.js';
import { readMultipart, type MultipartRequest } from '../../shared/http/multipart.js';
import { requireAgency } from '../../shared/http/principal-guards.js';
import { CancelNoticeUseCase } from '../application/cancel-notice.use-case.js';
import { SenderNoticeQueries } from '../application/notice-queries.js';
import { SendNoticeUseCase, type SendNoticeInput } from '../application/send-notice.use-case.js';
import { checkIdempotencyKey, requestFingerprint } from '../domain/idempotency.js';
import { recipientsFromCsv } from './recipients-csv.js';
import { SendNoticeRequestDto } from './send-notice.request.dto.js';

export class RecipientListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: ['ACCEPTED', 'DELIVERED', 'VIEWED', 'EFFECTIVE', 'CANCELLED', 'FAILED'] })
  @IsOptional()
  @IsString()
  state?: string;
}

export class CancelNoticeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(k: string, v: string): ReplyLike;
  send(body: unknown): unknown;
}

export type NoticeFields = Omit<SendNoticeInput, 'agencyId' | 'actor' | 'idempotencyKey' | 'requestHash'>;

/**
 * The use case's fields from a validated JSON send, defaults applied. The idempotency
 * fingerprint is taken of exactly this object, so the controller and NoticesFastPath both
 * build it here (a replay through either path must hash the same).
 */
export function noticeFields(dto: SendNoticeRequestDto): NoticeFields {
  return {
    recipients: dto.recipients,
    subject: dto.subject,
    body: dto.body,
    bodyFormat: dto.bodyFormat ?? 'text',
    category: dto.category,
    dueDate: dto.dueDate ?? null,
    attachments: (dto.attachments ?? []).map((a) => ({ sha256: a.sha256, filename: a.filename })),
  };
}

/** Senders (role agency): send, follow, cancel, prove. Another agency's notice is a 404. */
@ApiTags('notices')
@Controller()
@Roles('agency')
export class NoticesController {
  constructor(
    @Inject(SendNoticeUseCase) private readonly send: SendNoticeUseCase,
    @Inject(CancelNoticeUseCase) private readonly cancelNotice: CancelNoticeUseCase,
    @Inject(SenderNoticeQueries) private readonly queries: SenderNoticeQueries,
    @Inject(IssueReceiptUseCase) private readonly receipts: IssueReceiptUseCase,
    @Inject(VerifyAuditChainUseCase) private readonly verifyChain: VerifyAuditChainUseCase,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  /**
   * JSON (`recipients` array), or multipart/form-data with the same fields as form fields
   * (`attachments` as JSON text) and the recipients as a CSV file part `recipientsFile` (or a
   * `recipients` field, one per line). 201 delivered now, 202 accepted as a batch. Needs
   * `Idempotency-Key`.
   */
  @ApiOperation({ summary: 'Send a notice (Idempotency-Key; 201 delivered, 202 bulk batch)' })
  @Post('notices')
  async create(@CurrentPrincipal() p: Principal, @Headers('idempotency-key') key: string | undefined, @Req() req: MultipartRequest, @Res() reply: ReplyLike) {
    const agencyId = requireAgency(p);
    const idempotencyKey = checkIdempotencyKey(key);
    const fields = req.isMultipart?.() ? await this.fromMultipart(req) : await this.fromJson(req.body);
    const requestHash = requestFingerprint(fields);
    const result = await this.send.execute({ ...fields, agencyId, actor: p.subject, idempotencyKey, requestHash });
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    const noticeId = String(result.body.noticeId);
    reply.header('location', result.status === 202 ? `/batches/${String(result.body.batchId)}` : `/notices/${noticeId}`);
    reply.status(result.status).send(result.body);
  }

  @ApiOperation({ summary: "List my agency's notices, newest first" })
  @Get('notices')
  list(@CurrentPrincipal() p: Principal, @Query() q: CursorQueryDto) {
    return this.queries.list(requireAgency(p), { limit: pageSize(q), cursor: q.cursor });
  }

  @ApiOperation({ summary: 'A notice with its per-state counts and batch' })
  @Get('notices/:id')
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.notice(requireAgency(p), id);
  }

  @ApiOperation({ summary: 'Per-recipient states of a notice (cursor, ?state=)' })
  @Get('notices/:id/recipients')
  recipients(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: RecipientListQueryDto) {
    return this.queries.recipients(requireAgency(p), id, { limit: pageSize(q), cursor: q.cursor, state: q.state });
  }

  @ApiOperation({ summary: "One recipient's state of a notice" })
  @Get('notices/:id/recipients/:recipientId')
  recipient(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('recipientId') recipientId: string) {
    return this.queries.recipient(requireAgency(p), id, recipientId);
  }

  /** Signed JSON receipt (compact JWS, ES256; keys at /.well-known/jwks.json). */
  @ApiOperation({ summary: "Signed receipt (JWS) of one recipient's copy" })
  @Get('notices/:id/recipients/:recipientId/receipt')
  receipt(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('recipientId') recipientId: string) {
    return this.receipts.execute(id, recipientId, { agencyId: requireAgency(p) });
  }

  @ApiOperation({ summary: "Verify a notice's audit hash chain" })
  @Get('notices/:id/audit/verify')
  verify(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.verifyChain.execute(id, requireAgency(p));
  }

  @ApiOperation({ summary: 'Cancel a notice nobody has opened' })
  @Post('notices/:id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CancelNoticeDto) {
    return this.cancelNotice.execute({ agencyId: requireAgency(p), actor: p.subject, noticeId: id, reason: body?.reason ?? null });
  }

  @ApiOperation({ summary: 'Progress of a bulk fan-out batch' })
  @Get('batches/:id')
  batch(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.batch(requireAgency(p), id);
  }

  private async fromJson(raw: unknown): Promise<NoticeFields> {
    const dto = plainToInstance(SendNoticeRequestDto, raw ?? {});
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw invalid(
        'REQUEST.INVALID',
        'The request body is not valid.',
        errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? { nested: 'invalid' }).join('; ') })),
      );
    }
    return noticeFields(dto);
  }

  private async fromMultipart(req: MultipartRequest): Promise<NoticeFields> {
    const form = await readMultipart(req, () => this.env.MAX_RECIPIENT_FILE_BYTES);
    const file = form.files.find((f) => f.fieldname === 'recipientsFile');
    const recipients = file ? recipientsFromCsv(file.bytes) : (form.fields.recipients ?? '').split(/[\s,;]+/).filter((s) => s.length > 0);
    let attachments: { sha256: string; filename: string }[] = [];
    if (form.fields.attachments) {
      try {
        attachments = JSON.parse(form.fields.attachments);
      } catch {
        throw invalid('REQUEST.INVALID', 'attachments must be a JSON array of {sha256, filename}.', [{ field: 'attachments', message: 'not JSON' }]);
      }
    }
    return this.fromJson({
      recipients,
      subject: form.fields.subject,
      body: form.fields.body,
      bodyFormat: form.fields.bodyFormat || undefined,
      category: form.fields.category,
      dueDate: form.fields.dueDate || undefined,
      attachments,
    });
  }
}
