import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { Public } from '@darvazeh/auth';
import { RANKING_WINDOWS, StatusSnapshotBuilder, type StatusSnapshot } from '../application/status-snapshot.js';
import { STATUS_PAGE_HTML, STATUS_PAGE_SCRIPT } from './status-page.js';

export class StatusQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsIn(RANKING_WINDOWS)
  window?: number;
}

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

/** The operators' status page: public, like the health endpoints (it shows no callers' data). */
@ApiTags('status')
@Controller()
@Public()
export class StatusController {
  constructor(private readonly snapshots: StatusSnapshotBuilder) {}

  @Get('status')
  @ApiOperation({ summary: 'Status page (HTML) for operators' })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('Cache-Control', 'no-store')
  page(): string {
    return STATUS_PAGE_HTML;
  }

  @Get('status/app.js')
  @ApiOperation({ summary: "Status page's script" })
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return STATUS_PAGE_SCRIPT;
  }

  @Get('status.json')
  @ApiOperation({
    summary: 'Status of every app, service cards and rankings (JSON)',
    description: 'Health, traffic, latency, lag and backlog per app; the service cards beside measured figures; rankings of services and of providing agencies over the window.',
  })
  @Header('Cache-Control', 'no-store')
  json(@Query() q: StatusQueryDto): StatusSnapshot {
    return this.snapshots.build(q.window ?? 15);
  }
}
