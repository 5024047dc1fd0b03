/**
 * The token subjects (`sub`) this replica refuses right now: principals that identity disabled.
 * Held in memory so the guard answers with a set lookup; filled from the service's own
 * `principal_revocations` table at start, changed after each committed revocation event
 * (TransactionRunner.afterCommit) and re-read periodically (events consumed by another replica
 * of the same service reach this one through the shared table).
 */
export class PrincipalDenylist {
  private denied = new Set<string>();
  /** Changes made while a snapshot is being read: re-applied on top of it, so none is lost. */
  private duringReload: Map<string, boolean> | null = null;

  isDenied(subject: string): boolean {
    return this.denied.has(subject);
  }

  get size(): number {
    return this.denied.size;
  }

  /** Applies one committed change: `disabled` true denies the subject, false lifts it. */
  set(subject: string, disabled: boolean): void {
    if (disabled) this.denied.add(subject);
    else this.denied.delete(subject);
    this.duringReload?.set(subject, disabled);
  }

  /** Replaces the set by a snapshot of the store; changes applied meanwhile win over it. */
  async reload(readDisabledSubjects: () => Promise<Iterable<string>>): Promise<void> {
    const changes = new Map<string, boolean>();
    this.duringReload = changes;
    try {
      const next = new Set(await readDisabledSubjects());
      for (const [subject, disabled] of changes) {
        if (disabled) next.add(subject);
        else next.delete(subject);
      }
      this.denied = next;
    } finally {
      if (this.duringReload === changes) this.duringReload = null;
    }
  }
}
