import { Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Readable } from 'node:stream';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { CursorQueryDto, pageSize, problemDetails, sendProblem } from '@darvazeh/http';
import { OperatorFileQueries } from '../../operator-files/application/operator-file-queries.js';
import { requireOperator } from '../../shared/http/principal-guards.js';
import { ImportOwnershipFileUseCase } from '../../subscribers/application/import-ownership-file.use-case.js';
import { ImportSightingFileUseCase } from '../application/import-sighting-file.use-case.js';

export class SightingFileQueryDto {
  @ApiProperty({ example: '2020-12-01', description: 'first UTC day the file covers (YYYY-MM-DD); every row must be within from..to' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be YYYY-MM-DD (first day the file covers)' })
  from!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be YYYY-MM-DD (last day the file covers)' })
  @ApiProperty({ example: '2020-12-10', description: `last UTC day the file covers (YYYY-MM-DD): not in the future, at most IMPORT_MAX_RANGE_DAYS after from` })
  to!: string;
}

const FILE_TYPES = ['text/csv', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];
const fileBody = (header: string) => ({
  description: `the CSV file as the raw body (gzip recognised by its magic bytes); header \`${header}\`; other content types: 415 HAMTA.FILE_CONTENT_TYPE`,
  schema: { type: 'string', format: 'binary' },
});

export class OperatorFileListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: ['sightings', 'subscribers'] })
  @IsOptional()
  @IsIn(['sightings', 'subscribers'], { message: 'kind must be sightings or subscribers' })
  kind?: 'sightings' | 'subscribers';

  @ApiPropertyOptional({ enum: ['merged', 'rejected'] })
  @IsOptional()
  @IsIn(['merged', 'rejected'], { message: 'outcome must be merged or rejected' })
  outcome?: 'merged' | 'rejected';
}

const uuid = new ParseUUIDPipe({ version: undefined });

interface RawRequest {
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}
interface ReplyLike {
  code(status: number): ReplyLike;
  header(k: string, v: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * Bulk uploads by operators. The body is the raw file, streamed (never buffered):
 * `Content-Type: text/csv` (or `application/gzip`, `application/octet-stream`; gzip is detected
 * from its magic bytes, so `Content-Encoding: gzip` works too). Multipart is not accepted.
 */
@ApiTags('operator files')
@ApiBearerAuth()
@Controller('operators/:code')
@Roles('operator')
export class OperatorFilesController {
  constructor(
    @Inject(ImportSightingFileUseCase) private readonly importSightings: ImportSightingFileUseCase,
    @Inject(ImportOwnershipFileUseCase) private readonly importOwnership: ImportOwnershipFileUseCase,
    @Inject(OperatorFileQueries) private readonly fileLog: OperatorFileQueries,
  ) {}

  /**
   * 201 merged (report), 200 duplicate (the same content was merged before; nothing changed),
   * 422 rejected whole (problem+json with the report: failed checks, counts, sample rows).
   */
  @Post('sighting-files')
  @ApiOperation({ summary: "Upload a sightings file (merged whole or rejected whole, with a report)" })
  @ApiConsumes(...FILE_TYPES)
  @ApiBody(fileBody('date,imei,imsi,msisdn,rat'))
  async sightings(
    @CurrentPrincipal() p: Principal,
    @Param('code') code: string,
    @Query() q: SightingFileQueryDto,
    @Req() req: RawRequest,
    @Res() reply: ReplyLike,
  ) {
    requireOperator(p, code);
    const result = await this.importSightings.execute({ operatorCode: code, from: q.from, to: q.to, ...upload(req) });
    sendFileOutcome(reply, `/operators/${code}/sighting-files`, result);
  }

  /**
   * Subscriber ownership (`msisdn,national_code,valid_from,valid_to`), the file form of
   * `hamta.subscribers`. Same answers as sighting files: 201 merged, 200 duplicate, 422 rejected.
   */
  @Post('subscriber-files')
  @ApiOperation({ summary: 'Upload a subscriber-ownership file (only numbers this operator holds)' })
  @ApiConsumes(...FILE_TYPES)
  @ApiBody(fileBody('msisdn,national_code,valid_from,valid_to'))
  async subscribers(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Req() req: RawRequest, @Res() reply: ReplyLike) {
    requireOperator(p, code);
    const result = await this.importOwnership.execute({ operatorCode: code, ...upload(req) });
    sendFileOutcome(reply, `/operators/${code}/subscriber-files`, result);
  }

  /** The intake log: the files this operator sent that were judged (merged or rejected), newest first. */
  @Get('files')
  @ApiOperation({ summary: "The operator's intake log of judged files, newest first" })
  files(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Query() q: OperatorFileListQueryDto) {
    requireOperator(p, code);
    return this.fileLog.list(code, { kind: q.kind, outcome: q.outcome }, pageSize(q), q.cursor);
  }

  /** One file of the log with the full report it was answered with (`fileId` from the upload's answer). */
  @Get('files/:fileId')
  @ApiOperation({ summary: 'One file of the intake log with its full report' })
  file(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Param('fileId', uuid) fileId: string) {
    requireOperator(p, code);
    return this.fileLog.get(code, fileId);
  }
}

const upload = (req: RawRequest) => ({
  contentType: String(req.headers['content-type'] ?? ''),
  contentLength: Number(req.headers['content-length'] ?? NaN),
  body: req.body as Readable | undefined,
});

/**
 * A rejected file is the caller's to fix, but it is a judged outcome with a full report rather than
 * a domain error, so the problem+json is written here with the report attached.
 */
function sendFileOutcome(
  reply: ReplyLike,
  instance: string,
  result: { outcome: 'merged' | 'rejected' | 'duplicate'; checks: { check: string; passed: boolean; message: string }[] },
): void {
  if (result.outcome === 'rejected') {
    const failed = result.checks.filter((c) => !c.passed);
    const body = {
      ...problemDetails({
        status: 422,
        code: 'HAMTA.FILE_REJECTED',
        detail: `the file failed ${failed.map((c) => c.check).join(', ')}; nothing from it was merged`,
        instance,
        hint: 'Fix the rows listed in report.samples (or the whole export) and upload the file again.',
        errors: failed.map((c) => ({ field: `check:${c.check}`, message: c.message })),
      }),
      report: result,
    };
    sendProblem(reply, body);
    return;
  }
  reply.code(result.outcome === 'duplicate' ? 200 : 201).header('content-type', 'application/json').send(result);
}
