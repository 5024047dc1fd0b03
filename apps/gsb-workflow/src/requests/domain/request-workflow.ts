import { GsbError } from '../../shared/domain/gsb.errors.js';

/**
 * THE process of a GSB/PGSB request (service request or connection request), as one declared
 * table. `decideTransition` runs it, the use cases only supply the facts, and `/workflow.bpmn`
 * / `/workflow.mmd` export it, so the diagram and the code cannot drift apart.
 */
export const REQUEST_STATES = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'RETURNED',
  'PENDING_SECOND_APPROVAL',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const TERMINAL_STATES: readonly RequestState[] = ['APPROVED', 'REJECTED', 'WITHDRAWN'];
/** States in which a request is "open" (counts as a duplicate of a new one for the same thing). */
export const OPEN_STATES: readonly RequestState[] = ['SUBMITTED', 'IN_REVIEW', 'RETURNED', 'PENDING_SECOND_APPROVAL'];

export const REQUEST_ACTIONS = ['submit', 'withdraw', 'claim', 'release', 'return', 'reject', 'approve'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** The roles the workflow knows (names as in the platform's ROLES). */
export type WorkflowRole = 'agency' | 'expert' | 'admin';

export const GUARDS = {
  ownAgency: 'the caller acts for the agency that owns the request',
  noDeficiencies: 'the request has no deficiencies (GET /requests/{id}/deficiencies is empty)',
  connected: 'a service request: the agency has an active connection to the chosen environment',
  isClaimant: 'the caller is the expert who claimed the request',
  evaluated: 'a qualification evaluation and a priority are recorded',
  fourEyesRequired: 'four-eyes applies: a PGSB request while GSB_FOUR_EYES_PGSB is on',
  fourEyesNotRequired: 'four-eyes does not apply',
  notFirstApprover: 'the caller is not the expert who gave the first approval',
  reasonGiven: 'a reason is given',
  fixesGiven: 'a non-empty list of what to fix is given',
} as const;
export type GuardName = keyof typeof GUARDS;

export interface Transition {
  action: RequestAction;
  from: RequestState;
  to: RequestState;
  roles: readonly WorkflowRole[];
  guards: readonly GuardName[];
  /** What the step is in the process card's words (BPMN task name). */
  label: string;
}

const t = (action: RequestAction, from: RequestState, to: RequestState, roles: WorkflowRole[], guards: GuardName[], label: string): Transition => ({
  action,
  from,
  to,
  roles,
  guards,
  label,
});

/** Every allowed transition. Anything not listed here is forbidden. */
export const REQUEST_WORKFLOW: readonly Transition[] = [
  t('submit', 'DRAFT', 'SUBMITTED', ['agency'], ['ownAgency', 'connected', 'noDeficiencies'], 'send to expert (steps 11–14)'),
  t('submit', 'RETURNED', 'SUBMITTED', ['agency'], ['ownAgency', 'connected', 'noDeficiencies'], 'resubmit after correction'),
  t('withdraw', 'DRAFT', 'WITHDRAWN', ['agency'], ['ownAgency'], 'withdraw draft'),
  t('withdraw', 'SUBMITTED', 'WITHDRAWN', ['agency'], ['ownAgency'], 'withdraw before review'),
  t('withdraw', 'RETURNED', 'WITHDRAWN', ['agency'], ['ownAgency'], 'withdraw instead of correcting'),
  t('claim', 'SUBMITTED', 'IN_REVIEW', ['expert'], [], 'claim the review task'),
  t('release', 'IN_REVIEW', 'SUBMITTED', ['expert'], ['isClaimant'], 'release the review task'),
  t('release', 'IN_REVIEW', 'SUBMITTED', ['admin'], [], 'take the task back from an expert'),
  t('return', 'IN_REVIEW', 'RETURNED', ['expert'], ['isClaimant', 'fixesGiven'], 'return for correction'),
  t('reject', 'IN_REVIEW', 'REJECTED', ['expert'], ['isClaimant', 'reasonGiven'], 'reject'),
  t('approve', 'IN_REVIEW', 'APPROVED', ['expert'], ['isClaimant', 'evaluated', 'fourEyesNotRequired'], 'approve'),
  t('approve', 'IN_REVIEW', 'PENDING_SECOND_APPROVAL', ['expert'], ['isClaimant', 'evaluated', 'fourEyesRequired'], 'first approval (four eyes)'),
  t('approve', 'PENDING_SECOND_APPROVAL', 'APPROVED', ['expert'], ['notFirstApprover'], 'second approval'),
  t('reject', 'PENDING_SECOND_APPROVAL', 'REJECTED', ['expert'], ['notFirstApprover', 'reasonGiven'], 'second expert rejects'),
];

/** Everything a guard may look at; the use case gathers it. */
export interface TransitionFacts {
  actor: { subject: string; roles: readonly string[]; agencyId?: string };
  request: {
    agencyId: string;
    environment: string | null;
    claimedBy: string | null;
    firstApprovedBy: string | null;
    evaluated: boolean;
  };
  /** Only needed by `noDeficiencies` / `connected`; a missing value fails the guard. */
  deficiencyCount?: number;
  connected?: boolean;
  fourEyesPgsb: boolean;
  reason?: string | null;
  fixes?: readonly unknown[] | null;
}

const GUARD_CHECKS: Record<GuardName, (f: TransitionFacts) => boolean> = {
  ownAgency: (f) => f.actor.agencyId !== undefined && f.actor.agencyId === f.request.agencyId,
  noDeficiencies: (f) => f.deficiencyCount === 0,
  connected: (f) => f.connected === true,
  isClaimant: (f) => f.request.claimedBy === f.actor.subject,
  evaluated: (f) => f.request.evaluated,
  fourEyesRequired: (f) => f.fourEyesPgsb && f.request.environment === 'PGSB',
  fourEyesNotRequired: (f) => !(f.fourEyesPgsb && f.request.environment === 'PGSB'),
  notFirstApprover: (f) => f.request.firstApprovedBy !== null && f.request.firstApprovedBy !== f.actor.subject,
  reasonGiven: (f) => typeof f.reason === 'string' && f.reason.trim().length > 0,
  fixesGiven: (f) => Array.isArray(f.fixes) && f.fixes.length > 0,
};

/** Guards that only pick between two rows of the same action; never reported as "the" failure. */
const SELECTOR_GUARDS: readonly GuardName[] = ['fourEyesRequired', 'fourEyesNotRequired'];

/** Stable error code of a failed guard (wire format). */
export const GUARD_ERROR_CODES: Record<GuardName, { code: string; kind: 'forbidden' | 'rule_violation' | 'conflict'; hint?: string }> = {
  ownAgency: { code: 'GSB.NOT_YOUR_REQUEST', kind: 'forbidden' },
  noDeficiencies: { code: 'GSB.REQUEST_INCOMPLETE', kind: 'rule_violation', hint: 'Fix every item of GET /requests/{id}/deficiencies, then submit again.' },
  connected: {
    code: 'GSB.NOT_CONNECTED',
    kind: 'rule_violation',
    hint: 'Complete the connection process first: POST /connections/requests for this environment (steps 4–5).',
  },
  isClaimant: { code: 'GSB.NOT_CLAIMANT', kind: 'forbidden', hint: 'Only the expert who claimed the request decides it; claim it first.' },
  evaluated: { code: 'GSB.NOT_EVALUATED', kind: 'rule_violation', hint: 'Record the qualification evaluation and priority first (PUT /review/{id}/evaluation).' },
  fourEyesRequired: { code: 'GSB.FOUR_EYES', kind: 'rule_violation' },
  fourEyesNotRequired: { code: 'GSB.FOUR_EYES', kind: 'rule_violation' },
  notFirstApprover: { code: 'GSB.SECOND_APPROVER_REQUIRED', kind: 'forbidden', hint: 'Another expert must give the second approval.' },
  reasonGiven: { code: 'GSB.REASON_REQUIRED', kind: 'rule_violation' },
  fixesGiven: { code: 'GSB.FIXES_REQUIRED', kind: 'rule_violation' },
};

export class TransitionNotAllowedError extends GsbError {
  constructor(
    readonly action: RequestAction,
    readonly state: RequestState,
  ) {
    const allowed = REQUEST_WORKFLOW.filter((x) => x.from === state).map((x) => x.action);
    super('GSB.TRANSITION_NOT_ALLOWED', 'conflict', `a request in state ${state} cannot be "${action}"ed`, {
      hint: allowed.length > 0 ? `From ${state} the process allows: ${[...new Set(allowed)].join(', ')}.` : `${state} is a final state.`,
    });
  }
}

export class RoleNotAllowedError extends GsbError {
  constructor(action: RequestAction, state: RequestState, roles: readonly string[]) {
    super('GSB.ROLE_NOT_ALLOWED', 'forbidden', `"${action}" from ${state} is not a step for role(s) ${roles.join(', ') || '(none)'}`);
  }
}

export class GuardFailedError extends GsbError {
  constructor(readonly guard: GuardName) {
    const spec = GUARD_ERROR_CODES[guard];
    super(spec.code, spec.kind, `not allowed: ${GUARDS[guard]}`, spec.hint ? { hint: spec.hint } : undefined);
  }
}

/** The transitions of `action` from `state` open to a caller with these roles. */
export function candidateTransitions(action: RequestAction, state: RequestState, roles: readonly string[]): Transition[] {
  return REQUEST_WORKFLOW.filter((x) => x.action === action && x.from === state && x.roles.some((r) => roles.includes(r)));
}

export function failedGuards(transition: Transition, facts: TransitionFacts): GuardName[] {
  return transition.guards.filter((g) => !GUARD_CHECKS[g](facts));
}

/**
 * Runs the table: the one transition `action` takes from `state` for these facts, or the error
 * that says why not — 409 for a step the process does not have there, 403 for a role that may
 * not take it, the first failed guard otherwise (never a selector guard such as four-eyes).
 */
export function decideTransition(action: RequestAction, state: RequestState, facts: TransitionFacts): Transition {
  const fromHere = REQUEST_WORKFLOW.filter((x) => x.action === action && x.from === state);
  if (fromHere.length === 0) throw new TransitionNotAllowedError(action, state);
  const candidates = candidateTransitions(action, state, facts.actor.roles);
  if (candidates.length === 0) throw new RoleNotAllowedError(action, state, facts.actor.roles);
  const failures = candidates.map((c) => ({ c, failed: failedGuards(c, facts) }));
  const passed = failures.find((x) => x.failed.length === 0);
  if (passed) return passed.c;
  // Report the row the situation selects (its selector guards hold), else the first row.
  const selected = failures.find((x) => !x.failed.some((g) => SELECTOR_GUARDS.includes(g))) ?? failures[0];
  const real = selected.failed.filter((g) => !SELECTOR_GUARDS.includes(g));
  throw new GuardFailedError(real[0] ?? selected.failed[0]);
}

/** The actions a caller may see offered on a request (for the screens), guards not evaluated. */
export function actionsFor(state: RequestState, roles: readonly string[]): RequestAction[] {
  return [...new Set(REQUEST_WORKFLOW.filter((x) => x.from === state && x.roles.some((r) => roles.includes(r))).map((x) => x.action))];
}
