/** Who takes a step: the token subject, its roles and (for role agency) its agency. */
export interface Actor {
  subject: string;
  roles: readonly string[];
  agencyId?: string;
}

export const isStaff = (a: Actor) => a.roles.includes('expert') || a.roles.includes('admin');
export const isAdmin = (a: Actor) => a.roles.includes('admin');

/** The one role name recorded in history for a step (the most privileged one the table accepted). */
export function actingRole(a: Actor, allowed: readonly string[]): 'agency' | 'expert' | 'admin' {
  for (const r of ['admin', 'expert', 'agency'] as const) if (allowed.includes(r) && a.roles.includes(r)) return r;
  return 'agency';
}
