/** JSON Schema fragments shared by Hamta's contracts (wire format). */
export const IMEI15 = { type: 'string', pattern: '^[0-9]{15}$', description: 'IMEI with its Luhn check digit' } as const;
export const NATIONAL_CODE = { type: 'string', pattern: '^[0-9]{10}$' } as const;
export const MSISDN = { type: 'string', pattern: '^989[0-9]{9}$', description: 'international form without +' } as const;
export const DATE_TIME = { type: 'string', format: 'date-time' } as const;
export const UUID = { type: 'string', format: 'uuid' } as const;
export const IMEIS = { type: 'array', minItems: 1, maxItems: 4, items: IMEI15 } as const;
export const OPERATOR_CODE = { type: 'string', pattern: '^[A-Z0-9_]{2,16}$' } as const;

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
