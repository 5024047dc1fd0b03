import { ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';
import { GSB_ENVIRONMENTS, SERVICE_CODE_PATTERN, type GsbEnvironment } from '@darvazeh/core';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const GSB_SERVICE_CHANGED_V1 = 'ir.darvazeh.gsb.service.changed.v1';

/** Catalog entry states (wire format). Only ACTIVE services may be called through the exchange. */
export const GSB_SERVICE_STATUSES_V1 = ['ACTIVE', 'SUSPENDED', 'RETIRED'] as const;
export type GsbServiceStatusV1 = (typeof GSB_SERVICE_STATUSES_V1)[number];

/**
 * A GSB/PGSB catalog entry was created or changed. Carries the entry's whole state (event-carried
 * state transfer), so a consumer's projection (the gateway's routing table) needs no other
 * source; `version` grows with every change: keep the highest one seen per `serviceCode`.
 * Key = serviceCode.
 */
export class GsbServiceChangedV1 {
  @Matches(SERVICE_CODE_PATTERN)
  serviceCode!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @IsString()
  @Length(0, 2000)
  description!: string;

  /** The providing agency (identity's agency id). */
  @IsUUID()
  providerAgencyId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @IsIn(GSB_ENVIRONMENTS, { each: true })
  environments!: GsbEnvironment[];

  /** Where the gateway forwards calls (the provider's endpoint behind the exchange). */
  @IsString()
  @Length(1, 2000)
  upstreamUrl!: string;

  @IsIn(GSB_SERVICE_STATUSES_V1)
  status!: GsbServiceStatusV1;

  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601()
  changedAt!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string | null;
}

export const GsbServiceChangedV1Contract = defineEvent<GsbServiceChangedV1>({
  type: GSB_SERVICE_CHANGED_V1,
  topic: TOPICS.gsbCatalog,
  description: 'A GSB/PGSB catalog entry was created or changed (its whole state; highest version wins).',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'GsbServiceChangedV1',
    type: 'object',
    additionalProperties: false,
    required: ['serviceCode', 'title', 'description', 'providerAgencyId', 'environments', 'upstreamUrl', 'status', 'version', 'changedAt'],
    properties: {
      serviceCode: { type: 'string', pattern: SERVICE_CODE_PATTERN.source },
      title: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 2000 },
      providerAgencyId: { type: 'string', format: 'uuid' },
      environments: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...GSB_ENVIRONMENTS] } },
      upstreamUrl: { type: 'string', minLength: 1, maxLength: 2000 },
      status: { type: 'string', enum: [...GSB_SERVICE_STATUSES_V1] },
      version: { type: 'integer', minimum: 1 },
      changedAt: { type: 'string', format: 'date-time' },
      reason: { type: ['string', 'null'], maxLength: 500 },
    },
  },
});
