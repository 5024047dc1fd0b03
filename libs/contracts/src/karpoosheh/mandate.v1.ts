import { IsISO8601, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { TOPICS } from '../topics.js';
import { DATE_TIME, NATIONAL_CODE, UUID, objectSchema } from './schema-parts.js';

// wire format: never rename. A breaking change is a new `.v2` type.
export const COMPANY_REPRESENTATIVE_REGISTERED_V1 = 'ir.darvazeh.karpoosheh.mandate.registered.v1';
export const COMPANY_REPRESENTATIVE_REVOKED_V1 = 'ir.darvazeh.karpoosheh.mandate.revoked.v1';

/**
 * A citizen may (registered) or may no longer (revoked) read a company's inbox on its behalf.
 * Subject: companyId.
 */
export class CompanyMandateChangedV1 {
  @IsUUID()
  mandateId!: string;

  /** The company's national ID (شناسه ملی), 11 digits. */
  @Matches(/^[0-9]{11}$/)
  companyId!: string;

  @Matches(/^[0-9]{10}$/)
  representativeNationalCode!: string;

  @IsString()
  @MaxLength(200)
  actor!: string;

  @IsISO8601()
  at!: string;
}

const schema = (title: string) =>
  objectSchema(
    title,
    {
      mandateId: UUID,
      companyId: { type: 'string', pattern: '^[0-9]{11}$' },
      representativeNationalCode: NATIONAL_CODE,
      actor: { type: 'string', minLength: 1, maxLength: 200 },
      at: DATE_TIME,
    },
    ['mandateId', 'companyId', 'representativeNationalCode', 'actor', 'at'],
  );

export const CompanyRepresentativeRegisteredV1Contract = defineEvent<CompanyMandateChangedV1>({
  type: COMPANY_REPRESENTATIVE_REGISTERED_V1,
  topic: TOPICS.karpooshehMandates,
  description: 'A citizen was registered as a representative of a company: they read its inbox.',
  schema: schema('CompanyRepresentativeRegisteredV1'),
});

export const CompanyRepresentativeRevokedV1Contract = defineEvent<CompanyMandateChangedV1>({
  type: COMPANY_REPRESENTATIVE_REVOKED_V1,
  topic: TOPICS.karpooshehMandates,
  description: 'A company representative’s mandate was revoked.',
  schema: schema('CompanyRepresentativeRevokedV1'),
});
