import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
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
  @HttpCode(200)
  batch(@CurrentPrincipal() p: Principal, @Body() body: EirBatchRequestDto) {
    requireOperator(p);
    return { results: body.imeis.map((i) => this.eir.check(i)) };
  }

  @Get('blacklist')
  async blacklist(@CurrentPrincipal() p: Principal, @Res() reply: ReplyLike) {
    requireOperator(p);
    sendCsv(reply, await this.blacklistFiles.full());
  }

  @Get('blacklist/changes')
  async changes(@CurrentPrincipal() p: Principal, @Query() q: BlacklistChangesQueryDto, @Res() reply: ReplyLike) {
    requireOperator(p);
    sendCsv(reply, await this.blacklistFiles.changes(q.date));
  }
}

function sendCsv(reply: ReplyLike, file: CsvFile): void {
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.filename}"`);
  reply.send(file.body);
}
