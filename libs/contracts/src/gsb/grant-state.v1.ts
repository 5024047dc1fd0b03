import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Min, ValidateIf } from 'class-validator';
import { GSB_ENVIRONMENTS, SERVICE_CODE_PATTERN, type GsbEnvironment } from '@darvazeh/core';
import type { JsonSchema } from '../define-event.js';

/** Grant states (wire format). Only ACTIVE grants let calls through the exchange. */
export const GSB_GRANT_STATUSES_V1 = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export type GsbGrantStatusV1 = (typeof GSB_GRANT_STATUSES_V1)[number];

/**
 * The whole state of one access grant: consumer agency → provider's service on GSB or PGSB,
 * with its quotas and validity. Every grant event carries it, so the gateway's projection needs
 * nothing else; `version` grows with every change: keep the highest one seen per `grantId`.
 */
export class GsbGrantStateV1 {
  @IsUUID()
  grantId!: string;

  /** The service request whose approval created the grant; null for grants made by an admin. */
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  requestId!: string | null;

  @IsUUID()
  consumerAgencyId!: string;

  @IsUUID()
  providerAgencyId!: string;

  @Matches(SERVICE_CODE_PATTERN)
  serviceCode!: string;

  @IsIn(GSB_ENVIRONMENTS)
  environment!: GsbEnvironment;

  @IsIn(GSB_GRANT_STATUSES_V1)
  status!: GsbGrantStatusV1;

  /** Calls per minute allowed; null = no per-minute quota. */
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  quotaPerMinute!: number | null;

  /** Calls per (Tehran) day allowed; null = no daily quota. */
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  quotaPerDay!: number | null;

  @IsISO8601()
  validFrom!: string;

  /** End of validity; null = until revoked. */
  @ValidateIf((_, v) => v !== null)
  @IsISO8601()
  validUntil!: string | null;

  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601()
  changedAt!: string;

  /** Why it was suspended or revoked; null otherwise. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 1000)
  reason!: string | null;
}

export function grantStateSchema(title: string): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    additionalProperties: false,
    required: [
      'grantId', 'requestId', 'consumerAgencyId', 'providerAgencyId', 'serviceCode', 'environment', 'status',
      'quotaPerMinute', 'quotaPerDay', 'validFrom', 'validUntil', 'version', 'changedAt', 'reason',
    ],
    properties: {
      grantId: { type: 'string', format: 'uuid' },
      requestId: { type: ['string', 'null'], format: 'uuid' },
      consumerAgencyId: { type: 'string', format: 'uuid' },
      providerAgencyId: { type: 'string', format: 'uuid' },
      serviceCode: { type: 'string', pattern: SERVICE_CODE_PATTERN.source },
      environment: { type: 'string', enum: [...GSB_ENVIRONMENTS] },
      status: { type: 'string', enum: [...GSB_GRANT_STATUSES_V1] },
      quotaPerMinute: { type: ['integer', 'null'], minimum: 1 },
      quotaPerDay: { type: ['integer', 'null'], minimum: 1 },
      validFrom: { type: 'string', format: 'date-time' },
      validUntil: { type: ['string', 'null'], format: 'date-time' },
      version: { type: 'integer', minimum: 1 },
      changedAt: { type: 'string', format: 'date-time' },
      reason: { type: ['string', 'null'], maxLength: 1000 },
    },
  };
}
