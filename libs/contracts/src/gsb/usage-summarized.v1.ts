import { IsArray, IsInt, IsISO8601, IsString, Matches, Min, ValidateIf, IsUUID, IsNumber } from 'class-validator';
import { SERVICE_CODE_PATTERN } from '@darvazeh/core';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';

// wire format: never rename. A breaking change is a new `.v2` type. Key = hourStart.
export const GSB_USAGE_SUMMARIZED_V1 = 'ir.darvazeh.gsb.usage.summarized.v1';

/** Calls of one consumer to one service on one environment within the hour. */
export class GsbUsageRowV1 {
  /** Null for calls refused before an agency was known (no or bad token). */
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  consumerAgencyId!: string | null;

  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  providerAgencyId!: string | null;

  @Matches(SERVICE_CODE_PATTERN)
  serviceCode!: string;

  @IsString()
  environment!: string;

  @IsInt() @Min(0) calls!: number;
  @IsInt() @Min(0) allowed!: number;
  @IsInt() @Min(0) denied!: number;
  @IsInt() @Min(0) failed!: number;
  @IsInt() @Min(0) requestBytes!: number;
  @IsInt() @Min(0) responseBytes!: number;

  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  p95Ms!: number | null;
}

/** The gateway's usage of the GSB in one closed hour `[hourStart, hourEnd)`, per consumer and service. */
export class GsbUsageSummarizedV1 {
  @IsISO8601()
  hourStart!: string;

  @IsISO8601()
  hourEnd!: string;

  /** Each row is checked by the JSON Schema (the consumer's validation). */
  @IsArray()
  rows!: GsbUsageRowV1[];
}

const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const count = { type: 'integer', minimum: 0 };

export const GsbUsageSummarizedV1Contract = defineEvent<GsbUsageSummarizedV1>({
  type: GSB_USAGE_SUMMARIZED_V1,
  topic: TOPICS.gsbExchanges,
  description: 'Hourly GSB usage per consumer agency, service and environment, from the exchange log.',
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'GsbUsageSummarizedV1',
    type: 'object',
    additionalProperties: false,
    required: ['hourStart', 'hourEnd', 'rows'],
    properties: {
      hourStart: { type: 'string', format: 'date-time' },
      hourEnd: { type: 'string', format: 'date-time' },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['consumerAgencyId', 'providerAgencyId', 'serviceCode', 'environment', 'calls', 'allowed', 'denied', 'failed', 'requestBytes', 'responseBytes', 'p95Ms'],
          properties: {
            consumerAgencyId: nullableUuid,
            providerAgencyId: nullableUuid,
            serviceCode: { type: 'string', pattern: SERVICE_CODE_PATTERN.source },
            environment: { type: 'string' },
            calls: count,
            allowed: count,
            denied: count,
            failed: count,
            requestBytes: count,
            responseBytes: count,
            p95Ms: { type: ['number', 'null'] },
          },
        },
      },
    },
  },
});
