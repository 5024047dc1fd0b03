/** JSON Schema fragments shared by Karpoosheh's contracts (wire format). */
export const DATE_TIME = { type: 'string', format: 'date-time' } as const;
export const UUID = { type: 'string', format: 'uuid' } as const;
/** A citizen's national code (10 digits) or a company's national ID (11 digits), check digit verified by the producer. */
export const RECIPIENT_ID = { type: 'string', pattern: '^[0-9]{10,11}$' } as const;
export const RECIPIENT_KIND = { type: 'string', enum: ['citizen', 'company'] } as const;
export const NULLABLE_UUID = { anyOf: [{ type: 'null' }, { type: 'string', format: 'uuid' }] } as const;
export const NULLABLE_STRING = { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 500 }] } as const;
export const NATIONAL_CODE = { type: 'string', pattern: '^[0-9]{10}$' } as const;
export const NULLABLE_NATIONAL_CODE = { anyOf: [{ type: 'null' }, NATIONAL_CODE] } as const;

export function objectSchema(title: string, properties: Record<string, unknown>, required: string[]) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    additionalProperties: false,
    required,
    properties,
  };
}
