import type { Principal } from '@darvazeh/auth';
import type { RevocationCheck } from '../../edge/application/edge-authenticator.js';

/** Placeholder until the principal revocation module lands in libs/auth. */
export class RevocationList implements RevocationCheck {
  private readonly agencies = new Map<string, Date>();
  private readonly subjects = new Map<string, Date>();

  disableAgency(agencyId: string, at: Date): void {
    this.agencies.set(agencyId, at);
  }

  setPrincipal(subject: string, disabled: boolean, at: Date): void {
    if (disabled) this.subjects.set(subject, at);
    else this.subjects.delete(subject);
  }

  revokedReason(principal: Principal): string | null {
    if (principal.agencyId && this.agencies.has(principal.agencyId)) return 'the agency of this token is disabled';
    if (this.subjects.has(principal.subject)) return 'the principal of this token is disabled';
    return null;
  }
}
