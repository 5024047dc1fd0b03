/** Roles carried in the access token's `roles` claim (wire format: never rename one). */
export const ROLES = ['citizen', 'agency', 'operator', 'ca', 'expert', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Roles an admin may give a service principal directly; `agency` comes only with an agency. */
export const SERVICE_PRINCIPAL_ROLES = ['operator', 'ca', 'expert', 'admin'] as const;
export type ServicePrincipalRole = (typeof SERVICE_PRINCIPAL_ROLES)[number];
