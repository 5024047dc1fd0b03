import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { requireOperator } from '../../shared/http/principal-guards.js';
import { BlacklistFiles, type CsvFile } from '../application/blacklist-files.js';
import { EirIndexService } from '../application/eir-index.service.js';

export class EirBatchRequestDto {
  @ApiProperty({ maxItems: 1000, example: ['490154203237518'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  imeis!: string[];
}

export class BlacklistChangesQueryDto {
  @ApiProperty({ example: '2026-01-31', description: 'the UTC day (YYYY-MM-DD)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;
}

interface ReplyLike {
  header(k: string, v: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * Equipment identity checks for operators (white/grey/black + reason) from the in-memory index,
 * and the black list as files (full, and one day's additions/removals) the way registries hand
 * lists to operators' EIRs.
 */
@ApiTags('eir')
@ApiBearerAuth()
@Controller('eir')
@Roles('operator')
export class EirController {
  constructor(
    @Inject(EirIndexService) private readonly eir: EirIndexService,
    @Inject(BlacklistFiles) private readonly blacklistFiles: BlacklistFiles,
  ) {}

  // GET /eir/check is served by EirFastCheckRoute (raw Fastify): see there why.

  @Post('check')
  @ApiOperation({ summary: 'Check up to 1,000 IMEIs: colour and reason of each, in request order' })
  @HttpCode(200)
  batch(@CurrentPrincipal() p: Principal, @Body() body: EirBatchRequestDto) {
    requireOperator(p);
    return { results: body.imeis.map((i) => this.eir.check(i)) };
  }

  @Get('blacklist')
  @ApiOperation({ summary: 'The full black list as CSV (imei,reason)' })
  @ApiOkResponse({ description: 'every black IMEI with its reason (BLOCKED or REPORTED_STOLEN)', content: { 'text/csv': { schema: { type: 'string', example: 'imei,reason\n490154203237518,REPORTED_STOLEN\n' } } } })
  async blacklist(@CurrentPrincipal() p: Principal, @Res() reply: ReplyLike) {
    requireOperator(p);
    sendCsv(reply, await this.blacklistFiles.full());
  }

  @Get('blacklist/changes')
  @ApiOperation({ summary: "One UTC day's black list changes as CSV (imei,change,reason,at)" })
  @ApiOkResponse({ description: 'IMEIs added to or removed from the list that day', content: { 'text/csv': { schema: { type: 'string', example: 'imei,change,reason,at\n490154203237518,added,REPORTED_STOLEN,2026-01-31T10:00:00.000Z\n' } } } })
  async changes(@CurrentPrincipal() p: Principal, @Query() q: BlacklistChangesQueryDto, @Res() reply: ReplyLike) {
    requireOperator(p);
    sendCsv(reply, await this.blacklistFiles.changes(q.date));
  }
}

function sendCsv(reply: ReplyLike, file: CsvFile): void {
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.filename}"`);
  reply.send(file.body);
}
