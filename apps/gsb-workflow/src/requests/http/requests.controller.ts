import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { pageSize, type CursorPage } from '@darvazeh/http';
import { GsbSettings } from '../../config/gsb-settings.js';
import { actorOf, requireAgency } from '../../shared/http/actor.js';
import { CreateRequestUseCase } from '../application/create-request.use-case.js';
import { RequestQueries } from '../application/request-queries.js';
import { TakeStepUseCase } from '../application/take-step.use-case.js';
import { UpdateRequestUseCase } from '../application/update-request.use-case.js';
import { UploadLetterUseCase } from '../application/upload-letter.use-case.js';
import type { Deficiency } from '../domain/deficiencies.js';
import { readLetterFile, type MultipartRequest } from './letter-upload.js';
import { RequestFieldsDto, RequestListQueryDto, StepCommentDto, toHistoryResponse, toRequestResponse, type RequestResponseDto } from './request.dto.js';

/** The applicant's side of the process (steps 3–14); experts and admins may read every request. */
@ApiTags('requests')
@Controller('requests')
export class RequestsController {
  constructor(
    @Inject(CreateRequestUseCase) private readonly create: CreateRequestUseCase,
    @Inject(UpdateRequestUseCase) private readonly update: UpdateRequestUseCase,
    @Inject(UploadLetterUseCase) private readonly upload: UploadLetterUseCase,
    @Inject(TakeStepUseCase) private readonly step: TakeStepUseCase,
    @Inject(RequestQueries) private readonly queries: RequestQueries,
    @Inject(GsbSettings) private readonly settings: GsbSettings,
  ) {}

  /** Starts a service request (a draft); 422 GSB.NOT_CONNECTED when the agency must connect first (steps 4–5). */
  @ApiOperation({ summary: 'Start a service request draft (needs an active connection)' })
  @Post()
  @Roles('agency')
  @HttpCode(201)
  async start(@CurrentPrincipal() p: Principal, @Body() body: RequestFieldsDto): Promise<RequestResponseDto> {
    return toRequestResponse(await this.create.execute(requireAgency(p), 'SERVICE', body), p.roles);
  }

  @ApiOperation({ summary: 'List requests (an agency: its own; experts/admins: all)' })
  @Get()
  @Roles('agency', 'expert', 'admin')
  async list(@CurrentPrincipal() p: Principal, @Query() q: RequestListQueryDto): Promise<CursorPage<RequestResponseDto>> {
    const page = await this.queries.list(actorOf(p), { state: q.state, kind: q.kind, cursor: q.cursor, limit: pageSize(q) });
    return { items: page.items.map((r) => toRequestResponse(r, p.roles)), nextCursor: page.nextCursor };
  }

  @ApiOperation({ summary: 'Read one request' })
  @Get(':id')
  @Roles('agency', 'expert', 'admin')
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<RequestResponseDto> {
    return toRequestResponse(await this.queries.get(actorOf(p), id), p.roles);
  }

  /** Fill in or correct any fields, in any order (DRAFT or RETURNED). */
  @ApiOperation({ summary: 'Fill in or correct a draft or returned request (recorded as an edit)' })
  @Patch(':id')
  @Roles('agency')
  async patch(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RequestFieldsDto): Promise<RequestResponseDto> {
    return toRequestResponse(await this.update.execute(requireAgency(p), id, body), p.roles);
  }

  /** Step 8: the authorization letter's image or PDF (multipart/form-data, one file). */
  @ApiOperation({ summary: 'Upload the authorization letter (PDF or image, type sniffed)' })
  @Put(':id/letter-file')
  @Roles('agency')
  async putLetter(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: MultipartRequest) {
    const actor = requireAgency(p);
    const file = await readLetterFile(req, this.settings);
    return this.upload.execute(actor, id, file);
  }

  @ApiOperation({ summary: 'Download the authorization letter file' })
  @Get(':id/letter-file')
  @Roles('agency', 'expert', 'admin')
  async getLetter(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: { header(k: string, v: string): unknown },
  ): Promise<Buffer> {
    const f = await this.queries.letterFile(actorOf(p), id);
    reply.header('content-type', f.contentType);
    reply.header('x-content-sha256', f.sha256);
    reply.header('content-disposition', 'inline');
    reply.header('x-content-type-options', 'nosniff');
    return f.bytes;
  }

  /** Steps 11–12: what is still missing or wrong (empty: it may be sent to the expert). */
  @ApiOperation({ summary: 'List what is missing or wrong before submission' })
  @Get(':id/deficiencies')
  @Roles('agency', 'expert', 'admin')
  async deficiencies(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<{ complete: boolean; deficiencies: Deficiency[] }> {
    const list = await this.queries.deficiencies(actorOf(p), id);
    return { complete: list.length === 0, deficiencies: list };
  }

  /** Step 14, "send to expert": 422 with the deficiency list when anything is missing (nothing changes). */
  @ApiOperation({ summary: 'Send the request to the expert (ارسال به کارشناس)' })
  @Post(':id/submit')
  @Roles('agency')
  @HttpCode(200)
  async submit(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: StepCommentDto): Promise<RequestResponseDto> {
    return toRequestResponse((await this.step.execute(requireAgency(p), id, 'submit', body)).request, p.roles);
  }

  @ApiOperation({ summary: 'Withdraw the request' })
  @Post(':id/withdraw')
  @Roles('agency')
  @HttpCode(200)
  async withdraw(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: StepCommentDto): Promise<RequestResponseDto> {
    return toRequestResponse((await this.step.execute(requireAgency(p), id, 'withdraw', body)).request, p.roles);
  }

  @ApiOperation({ summary: 'The request\'s history: every step and edit (who, when, from → to)' })
  @Get(':id/history')
  @Roles('agency', 'expert', 'admin')
  async history(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return { items: (await this.queries.history(actorOf(p), id)).map(toHistoryResponse) };
  }
}
