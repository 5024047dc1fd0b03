import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { pageSize, type CursorPage } from '@darvazeh/http';
import { invalid } from '../../shared/domain/gsb.errors.js';
import { actorOf } from '../../shared/http/actor.js';
import { RequestQueries } from '../../requests/application/request-queries.js';
import { TakeStepUseCase } from '../../requests/application/take-step.use-case.js';
import { REQUEST_STATES } from '../../requests/domain/request-workflow.js';
import { StepCommentDto, toRequestResponse, type RequestResponseDto } from '../../requests/http/request.dto.js';
import { RecordEvaluationUseCase } from '../application/record-evaluation.use-case.js';
import { ApproveRequestDto, EvaluationRequestDto, QueueQueryDto, RejectRequestDto, ReturnRequestDto } from './review.dto.js';

/** The ITO experts' side: the queue, claim, evaluation, and the decision. */
@ApiTags('review')
@Controller('review')
export class ReviewController {
  constructor(
    @Inject(RequestQueries) private readonly queries: RequestQueries,
    @Inject(TakeStepUseCase) private readonly step: TakeStepUseCase,
    @Inject(RecordEvaluationUseCase) private readonly evaluate: RecordEvaluationUseCase,
  ) {}

  @ApiOperation({ summary: 'The experts\' queue, oldest submission first' })
  @Get('queue')
  @Roles('expert', 'admin')
  async queue(@CurrentPrincipal() p: Principal, @Query() q: QueueQueryDto): Promise<CursorPage<RequestResponseDto>> {
    const states = (q.state ?? 'SUBMITTED,IN_REVIEW,PENDING_SECOND_APPROVAL').split(',').map((s) => s.trim());
    const unknown = states.filter((s) => !(REQUEST_STATES as readonly string[]).includes(s));
    if (unknown.length > 0) throw invalid('GSB.STATE_UNKNOWN', `unknown state(s): ${unknown.join(', ')}`, [{ field: 'state', message: `one of ${REQUEST_STATES.join(', ')}` }]);
    const page = await this.queries.queue({
      states,
      priority: q.priority,
      environment: q.environment,
      providerAgencyId: q.provider,
      agencyId: q.agency,
      kind: q.kind,
      minAgeHours: q.minAgeHours,
      escalated: q.escalated,
      cursor: q.cursor,
      limit: pageSize(q),
    });
    return { items: page.items.map((r) => toRequestResponse(r, p.roles)), nextCursor: page.nextCursor };
  }

  @ApiOperation({ summary: 'Claim a submitted request for review' })
  @Post(':id/claim')
  @Roles('expert')
  @HttpCode(200)
  async claim(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: StepCommentDto): Promise<RequestResponseDto> {
    return toRequestResponse((await this.step.execute(actorOf(p), id, 'claim', body)).request, p.roles);
  }

  @ApiOperation({ summary: 'Release a claimed request back to the queue' })
  @Post(':id/release')
  @Roles('expert', 'admin')
  @HttpCode(200)
  async release(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: StepCommentDto): Promise<RequestResponseDto> {
    return toRequestResponse((await this.step.execute(actorOf(p), id, 'release', body)).request, p.roles);
  }

  /** The qualification evaluation and priority (needed before approval). */
  @ApiOperation({ summary: 'Record the qualification evaluation and priority' })
  @Put(':id/evaluation')
  @Roles('expert')
  async evaluation(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: EvaluationRequestDto): Promise<RequestResponseDto> {
    return toRequestResponse(await this.evaluate.execute(actorOf(p), id, { qualified: body.qualified, priority: body.priority, notes: body.notes ?? '' }), p.roles);
  }

  @ApiOperation({ summary: 'Return the request to the applicant with the fixes to make' })
  @Post(':id/return')
  @Roles('expert')
  @HttpCode(200)
  async return(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: ReturnRequestDto): Promise<RequestResponseDto> {
    return toRequestResponse((await this.step.execute(actorOf(p), id, 'return', { fixes: body.fixes, comment: body.comment })).request, p.roles);
  }

  @ApiOperation({ summary: 'Reject the request (with a reason)' })
  @Post(':id/reject')
  @Roles('expert')
  @HttpCode(200)
  async reject(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: RejectRequestDto): Promise<RequestResponseDto> {
    return toRequestResponse((await this.step.execute(actorOf(p), id, 'reject', { reason: body.reason })).request, p.roles);
  }

  /** Approve: final (a grant or connection is created) or, under four-eyes, the first of two. */
  @ApiOperation({ summary: 'Approve the request (final, or the first of two under four-eyes)' })
  @Post(':id/approve')
  @Roles('expert')
  @HttpCode(200)
  async approve(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: ApproveRequestDto) {
    const result = await this.step.execute(actorOf(p), id, 'approve', {
      comment: body.comment,
      quotaPerMinute: body.quotaPerMinute,
      quotaPerDay: body.quotaPerDay,
      validUntil: body.validUntil ? new Date(body.validUntil) : undefined,
    });
    return { ...toRequestResponse(result.request, p.roles), grantId: result.grant?.id ?? null };
  }
}
