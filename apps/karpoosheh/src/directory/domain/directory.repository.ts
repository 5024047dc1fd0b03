/** Port of the local projection of identity's agencies and citizens. */
export abstract class DirectoryRepository {
  /** Inserts or renames the agency (registration events may be redelivered). */
  abstract upsertAgency(a: { agencyId: string; name: string; clientId: string; at: string }): Promise<void>;
  abstract disableAgency(agencyId: string, at: string): Promise<void>;
  abstract insertCitizen(c: { nationalCode: string; citizenId: string; at: string }): Promise<void>;
}

/** Port of company representatives (mandates). Implementations join the ambient transaction. */
export abstract class MandateRepository {
  /** False when this citizen already represents this company (an active mandate exists). */
  abstract insert(m: { mandateId: string; companyId: string; representative: string; createdBy: string; at: Date }): Promise<boolean>;
  /** Revokes an active mandate; null when there is none with this id. */
  abstract revoke(mandateId: string, at: Date): Promise<{ company_id: string; representative_national_code: string } | null>;
  abstract activeOf(representative: string): Promise<{ company_id: string; mandate_id: string }[]>;
  abstract isActive(representative: string, companyId: string): Promise<boolean>;
}
