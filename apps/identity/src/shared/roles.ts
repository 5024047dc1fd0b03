/** Roles carried in the `roles` claim. Wire format shared with @darvazeh/auth: never rename. */
export const ROLES = ['citizen', 'agency', 'operator', 'ca', 'expert', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an admin may give a service principal directly; `agency` comes only with an agency. */
export const SERVICE_PRINCIPAL_ROLES = ['operator', 'ca', 'expert', 'admin'] as const;
export type ServicePrincipalRole = (typeof SERVICE_PRINCIPAL_ROLES)[number];
