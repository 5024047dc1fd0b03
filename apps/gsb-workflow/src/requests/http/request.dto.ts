import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CursorQueryDto } from '@darvazeh/http';
import { actionsFor } from '../domain/request-workflow.js';
import type { HistoryEntry, RequestRecord } from '../domain/request.js';

export class SystemInfoDto {
  @ApiPropertyOptional({ example: 'سامانه جامع گمرکی' }) @IsOptional() @IsString() @MaxLength(200) name?: string | null;
  @ApiPropertyOptional({ example: 'استعلام وضعیت IMEI کالاهای وارداتی' }) @IsOptional() @IsString() @MaxLength(2000) purpose?: string | null;
  @ApiPropertyOptional({ example: ['10.20.30.40'] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true }) ipAddresses?: string[] | null;
}

export class LetterInfoDto {
  @ApiPropertyOptional({ example: '۱۲۳۴/ص/۱۴۰۵' }) @IsOptional() @IsString() @MaxLength(100) number?: string | null;
  @ApiPropertyOptional({ example: '2026-11-01' }) @IsOptional() @IsString() @MaxLength(10) date?: string | null;
  @ApiPropertyOptional({ description: 'agency that issued the letter (the service provider)' }) @IsOptional() @IsString() @MaxLength(100) issuingAgencyId?: string | null;
}

export class ContactInfoDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) name?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ example: '021-88776655' }) @IsOptional() @IsString() @MaxLength(40) phone?: string | null;
}

export class CredentialInfoDto {
  @ApiPropertyOptional({ enum: ['MTLS_CERTIFICATE', 'CLIENT_CREDENTIALS'] }) @IsOptional() @IsIn(['MTLS_CERTIFICATE', 'CLIENT_CREDENTIALS']) type?: 'MTLS_CERTIFICATE' | 'CLIENT_CREDENTIALS' | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) certificateSha256?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) clientId?: string | null;
}

/** Any subset of a request's fields, in any order (null clears one). */
export class RequestFieldsDto {
  @ApiPropertyOptional({ enum: ['GSB', 'PGSB'] }) @IsOptional() @IsIn(['GSB', 'PGSB']) environment?: 'GSB' | 'PGSB' | null;
  @ApiPropertyOptional({ example: 'hamta.imei-status' }) @IsOptional() @IsString() @MaxLength(100) serviceCode?: string | null;
  @ApiPropertyOptional({ type: SystemInfoDto }) @IsOptional() @ValidateNested() @Type(() => SystemInfoDto) system?: SystemInfoDto | null;
  @ApiPropertyOptional({ type: LetterInfoDto }) @IsOptional() @ValidateNested() @Type(() => LetterInfoDto) letter?: LetterInfoDto | null;
  @ApiPropertyOptional({ type: ContactInfoDto }) @IsOptional() @ValidateNested() @Type(() => ContactInfoDto) contact?: ContactInfoDto | null;
  @ApiPropertyOptional({ example: ['GSB'] }) @IsOptional() @IsArray() @ArrayMaxSize(2) @IsString({ each: true }) @MaxLength(8, { each: true }) connectionEnvironments?: string[] | null;
  @ApiPropertyOptional({ type: [SystemInfoDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => SystemInfoDto) systems?: SystemInfoDto[] | null;
  @ApiPropertyOptional({ example: ['10.20.0.0/16'] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(50, { each: true }) ipRanges?: string[] | null;
  @ApiPropertyOptional({ type: CredentialInfoDto }) @IsOptional() @ValidateNested() @Type(() => CredentialInfoDto) credential?: CredentialInfoDto | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) requestedQuotaPerMinute?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000) requestedQuotaPerDay?: number | null;
}

export class RequestListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) state?: string;
  @ApiPropertyOptional({ enum: ['SERVICE', 'CONNECTION'] }) @IsOptional() @IsIn(['SERVICE', 'CONNECTION']) kind?: string;
}

export class StepCommentDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class RequestResponseDto {
  @ApiProperty() id!: string;
  kind!: string;
  agencyId!: string;
  state!: string;
  environment!: string | null;
  serviceCode!: string | null;
  providerAgencyId!: string | null;
  system!: unknown;
  letter!: unknown;
  letterFile!: unknown;
  contact!: unknown;
  connectionEnvironments!: string[] | null;
  systems!: unknown;
  ipRanges!: string[] | null;
  credential!: unknown;
  requestedQuotaPerMinute!: number | null;
  requestedQuotaPerDay!: number | null;
  evaluation!: unknown;
  priority!: string | null;
  claimedBy!: string | null;
  firstApprovedBy!: string | null;
  fixes!: unknown;
  decisionReason!: string | null;
  submittedAt!: string | null;
  claimDueAt!: string | null;
  decisionDueAt!: string | null;
  escalated!: { claim: string | null; decision: string | null };
  /** Steps the caller's roles may take from here (guards not yet evaluated). */
  actions!: string[];
  version!: number;
  createdAt!: string;
  updatedAt!: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toRequestResponse(r: RequestRecord, roles: readonly string[]): RequestResponseDto {
  return {
    id: r.id,
    kind: r.kind,
    agencyId: r.agencyId,
    state: r.state,
    environment: r.environment,
    serviceCode: r.serviceCode,
    providerAgencyId: r.providerAgencyId,
    system: r.draft.system,
    letter: r.draft.letter,
    letterFile: r.letterFile,
    contact: r.draft.contact,
    connectionEnvironments: r.draft.connectionEnvironments,
    systems: r.draft.systems,
    ipRanges: r.draft.ipRanges,
    credential: r.draft.credential,
    requestedQuotaPerMinute: r.draft.requestedQuotaPerMinute,
    requestedQuotaPerDay: r.draft.requestedQuotaPerDay,
    evaluation: r.evaluation,
    priority: r.priority,
    claimedBy: r.claimedBy,
    firstApprovedBy: r.firstApprovedBy,
    fixes: r.fixes,
    decisionReason: r.decisionReason,
    submittedAt: iso(r.submittedAt),
    claimDueAt: iso(r.claimDueAt),
    decisionDueAt: iso(r.decisionDueAt),
    escalated: { claim: iso(r.claimEscalatedAt), decision: iso(r.decisionEscalatedAt) },
    actions: actionsFor(r.state, roles),
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const toHistoryResponse = (h: HistoryEntry) => ({
  at: h.at.toISOString(),
  actor: h.actor,
  actorRole: h.actorRole,
  action: h.action,
  fromState: h.fromState,
  toState: h.toState,
  comment: h.comment,
  details: h.details,
});
