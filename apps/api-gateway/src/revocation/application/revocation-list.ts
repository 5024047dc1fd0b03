import type { Principal } from '@darvazeh/auth';
import type { RevocationCheck } from '../../edge/application/edge-authenticator.js';

/** Disabled agencies and principals in memory: the edge checks every request against it. */
export class RevocationList implements RevocationCheck {
  private readonly agencies = new Set<string>();
  private readonly subjects = new Set<string>();

  set(kind: 'agency' | 'principal', key: string, disabled: boolean, _at: Date): void {
    const set = kind === 'agency' ? this.agencies : this.subjects;
    if (disabled) set.add(key);
    else set.delete(key);
  }

  revokedReason(principal: Principal): string | null {
    if (principal.agencyId !== undefined && this.agencies.has(principal.agencyId)) return 'the agency of this token has been disabled';
    if (this.subjects.has(principal.subject)) return 'the principal of this token has been disabled';
    return null;
  }
}
