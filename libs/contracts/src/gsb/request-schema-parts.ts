/** JSON Schema fragments of the gsb.requests contracts (wire format). */
export const REQ_DATE_TIME = { type: 'string', format: 'date-time' } as const;
export const REQ_UUID = { type: 'string', format: 'uuid' } as const;
export const REQ_AGENCY_ID = { type: 'string', format: 'uuid', description: "identity's agency id" } as const;
export const REQ_ENVIRONMENT = { type: 'string', enum: ['GSB', 'PGSB'] } as const;
export const REQ_STATE = {
  type: 'string',
  enum: ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'RETURNED', 'PENDING_SECOND_APPROVAL', 'APPROVED', 'REJECTED', 'WITHDRAWN'],
} as const;
export const REQ_KIND = { type: 'string', enum: ['SERVICE', 'CONNECTION'] } as const;
export const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

export function requestObjectSchema(title: string, properties: Record<string, unknown>, required: string[]) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    additionalProperties: false,
    required,
    properties,
  };
}
