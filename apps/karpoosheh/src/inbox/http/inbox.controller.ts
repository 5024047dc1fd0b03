import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { toBoolean } from '@darvazeh/config';
import { CursorQueryDto, pageSize } from '@darvazeh/http';
import { MandatesUseCases } from '../../directory/application/mandates.use-cases.js';
import { IssueReceiptUseCase } from '../../receipts/application/issue-receipt.use-case.js';
import { KarpooshehError } from '../../shared/domain/karpoosheh.errors.js';
import { InboxFlagsUseCase, type InboxFlag } from '../application/inbox-flags.use-case.js';
import { InboxOwnerResolver } from '../application/inbox-owner.js';
import { InboxQueries } from '../application/inbox-queries.js';
import { OpenNoticeUseCase } from '../application/open-notice.use-case.js';

export class AsCompanyQueryDto {
  @ApiPropertyOptional({ description: 'Company national ID whose inbox to read (needs an active mandate)' })
  @IsOptional()
  @Matches(/^[0-9۰-۹]{11}$/, { message: 'as must be an 11-digit company national ID' })
  as?: string;
}

export class InboxQueryDto extends CursorQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9۰-۹]{11}$/, { message: 'as must be an 11-digit company national ID' })
  as?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ description: 'sender agency id' })
  @IsOptional()
  @IsUUID()
  sender?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'category must be a lowercase slug' })
  category?: string;

  @ApiPropertyOptional({ description: 'received at or after (ISO date-time)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'received before (ISO date-time)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ description: 'full-text search on the subject' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  archived?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  starred?: boolean;
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(k: string, v: string): ReplyLike;
  send(body: unknown): unknown;
}

const FLAGS: InboxFlag[] = ['acknowledge', 'archive', 'unarchive', 'star', 'unstar'];

/**
 * A citizen's inbox (role citizen; the national code comes from the token). Every path answers
 * 404 KARPOOSHEH.NOTICE_NOT_FOUND for a notice that is not in the caller's inbox, whether or
 * not it exists.
 */
@ApiTags('inbox')
@Controller('inbox')
@Roles('citizen')
export class InboxController {
  constructor(
    @Inject(InboxOwnerResolver) private readonly owners: InboxOwnerResolver,
    @Inject(InboxQueries) private readonly queries: InboxQueries,
    @Inject(OpenNoticeUseCase) private readonly open: OpenNoticeUseCase,
    @Inject(InboxFlagsUseCase) private readonly flags: InboxFlagsUseCase,
    @Inject(IssueReceiptUseCase) private readonly receipts: IssueReceiptUseCase,
    @Inject(MandatesUseCases) private readonly mandates: MandatesUseCases,
  ) {}

  @ApiOperation({ summary: 'List my inbox, newest first (keyset cursor, filters)' })
  @Get()
  async list(@CurrentPrincipal() p: Principal, @Query() q: InboxQueryDto) {
    const owner = await this.owners.resolve(p, q.as);
    return this.queries.list(owner, { ...q, limit: pageSize(q) });
  }

  @ApiOperation({ summary: 'Count my unread notices' })
  @Get('unread-count')
  async unread(@CurrentPrincipal() p: Principal, @Query() q: AsCompanyQueryDto) {
    const owner = await this.owners.resolve(p, q.as);
    return { recipientId: owner.recipientId, unread: await this.queries.unreadCount(owner) };
  }

  /** Companies the caller may read for (their active mandates). */
  @ApiOperation({ summary: 'Companies whose inbox I may read' })
  @Get('mandates')
  async myMandates(@CurrentPrincipal() p: Principal) {
    const owner = await this.owners.resolve(p, undefined);
    return { items: await this.mandates.mine(owner.reader) };
  }

  /** Opens the notice: the first opening records VIEWED (read_at, reader) once. */
  @ApiOperation({ summary: 'Open a notice (the first opening records VIEWED and the reader)' })
  @Get(':id')
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: AsCompanyQueryDto) {
    return this.open.execute(await this.owners.resolve(p, q.as), id);
  }

  @ApiOperation({ summary: 'Download an attachment of a notice (recorded and audited)' })
  @Get(':id/attachments/:sha256')
  async download(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('sha256') sha256: string, @Query() q: AsCompanyQueryDto, @Res() reply: ReplyLike) {
    const file = await this.open.download(await this.owners.resolve(p, q.as), id, sha256);
    reply
      .header('content-type', file.mime)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`)
      .header('content-length', String(file.size))
      .send(file.body);
  }

  @ApiOperation({ summary: 'Signed receipt of my copy of a notice' })
  @Get(':id/receipt')
  async receipt(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: AsCompanyQueryDto) {
    const owner = await this.owners.resolve(p, q.as);
    return this.receipts.execute(id, owner.recipientId, { recipientId: owner.recipientId });
  }

  @ApiOperation({ summary: 'Acknowledge, archive, unarchive, star or unstar a notice' })
  @Post(':id/:flag')
  @HttpCode(204)
  async flag(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('flag') flag: string, @Query() q: AsCompanyQueryDto) {
    const owner = await this.owners.resolve(p, q.as);
    if (!(FLAGS as string[]).includes(flag)) {
      throw new KarpooshehError('KARPOOSHEH.UNKNOWN_ACTION', 'not_found', `Unknown action ${flag}; one of ${FLAGS.join(', ')}.`);
    }
    await this.flags.execute(owner, id, flag as InboxFlag);
  }
}
