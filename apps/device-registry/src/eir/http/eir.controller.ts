import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { requireOperator } from '../../shared/http/principal-guards.js';
import { InvalidInputError } from '../../shared/domain/hamta.errors.js';
import { dayNumber } from '../../shared/domain/subscriber-ids.js';
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
@Controller('eir')
@Roles('operator')
export class EirController {
  constructor(
    @Inject(EirIndexService) private readonly eir: EirIndexService,
    @Inject(DataSource) private readonly dataSource: DataSource,
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
    await this.csv(
      reply,
      'blacklist.csv',
      'imei,reason',
      `SELECT lpad(di.imei::text, 14, '0'), CASE WHEN d.blocked THEN 'BLOCKED' ELSE 'REPORTED_STOLEN' END
         FROM device_imeis di JOIN devices d ON d.id = di.device_id WHERE d.stolen OR d.blocked ORDER BY di.imei`,
    );
  }

  @Get('blacklist/changes')
  async changes(@CurrentPrincipal() p: Principal, @Query() q: BlacklistChangesQueryDto, @Res() reply: ReplyLike) {
    requireOperator(p);
    const day = dayNumber(q.date);
    if (day === null) throw new InvalidInputError('HAMTA.DATE_INVALID', `${q.date} is not a date`, { errors: [{ field: 'date', message: 'not a real date' }] });
    await this.csv(
      reply,
      `blacklist-changes-${q.date}.csv`,
      'imei,change,reason,at',
      `SELECT lpad(imei::text, 14, '0'), change, reason, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
         FROM blacklist_changes WHERE at >= timestamp '1970-01-01' + interval '1 day' * ${day}
          AND at < timestamp '1970-01-01' + interval '1 day' * ${day + 1} ORDER BY id`,
    );
  }

  /** Streams a query as CSV with COPY; the 14-digit core is completed with its check digit on the way. */
  private async csv(reply: ReplyLike, filename: string, header: string, sql: string): Promise<void> {
    const { Transform } = await import('node:stream');
    const { imeiFromCore } = await import('../../shared/domain/imei.js');
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as import('pg').PoolClient;
    const source = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv)`));
    let rest = '';
    let first = true;
    const out = new Transform({
      transform(chunk: Buffer, _e, done) {
        const lines = (rest + chunk.toString('latin1')).split('\n');
        rest = lines.pop() ?? '';
        let s = first ? header + '\n' : '';
        first = false;
        for (const l of lines) {
          const comma = l.indexOf(',');
          s += imeiFromCore(Number(l.slice(0, comma))) + l.slice(comma) + '\n';
        }
        done(null, s);
      },
      flush(done) {
        done(null, first ? header + '\n' : undefined);
      },
    });
    const release = () => void runner.release().catch(() => undefined);
    source.on('end', release);
    source.on('error', (e) => {
      release();
      out.destroy(e);
    });
    source.pipe(out);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`);
    reply.send(out);
  }
}
