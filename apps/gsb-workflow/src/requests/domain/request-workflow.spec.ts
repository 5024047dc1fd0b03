import { describe, expect, it } from '@jest/globals';
import {
  REQUEST_ACTIONS,
  REQUEST_STATES,
  decideTransition,
  type RequestAction,
  type RequestState,
  type TransitionFacts,
  type WorkflowRole,
} from './request-workflow.js';
import { workflowToBpmn, workflowToMermaid } from './workflow-diagram.js';

const ROLES: WorkflowRole[] = ['agency', 'expert', 'admin'];

/** Facts under which every guard of the caller's row holds (the happy case for that row). */
function happy(role: WorkflowRole, state: RequestState, overrides: Partial<TransitionFacts> = {}): TransitionFacts {
  const subject = role === 'agency' ? 'agency-user' : role === 'expert' ? 'expert-1' : 'admin-1';
  return {
    actor: { subject, roles: [role], agencyId: role === 'agency' ? 'agency-A' : undefined },
    request: {
      agencyId: 'agency-A',
      environment: 'GSB',
      claimedBy: 'expert-1',
      firstApprovedBy: state === 'PENDING_SECOND_APPROVAL' ? 'expert-0' : null,
      evaluated: true,
    },
    deficiencyCount: 0,
    connected: true,
    fourEyesPgsb: true,
    reason: 'a reason',
    fixes: [{ field: 'letter.number', message: 'wrong number' }],
    ...overrides,
  };
}

/** The process as the card draws it, written out by hand: (state, action, role) → next state. */
const ALLOWED: [RequestState, RequestAction, WorkflowRole, RequestState][] = [
  ['DRAFT', 'submit', 'agency', 'SUBMITTED'],
  ['RETURNED', 'submit', 'agency', 'SUBMITTED'],
  ['DRAFT', 'withdraw', 'agency', 'WITHDRAWN'],
  ['SUBMITTED', 'withdraw', 'agency', 'WITHDRAWN'],
  ['RETURNED', 'withdraw', 'agency', 'WITHDRAWN'],
  ['SUBMITTED', 'claim', 'expert', 'IN_REVIEW'],
  ['IN_REVIEW', 'release', 'expert', 'SUBMITTED'],
  ['IN_REVIEW', 'release', 'admin', 'SUBMITTED'],
  ['IN_REVIEW', 'return', 'expert', 'RETURNED'],
  ['IN_REVIEW', 'reject', 'expert', 'REJECTED'],
  ['IN_REVIEW', 'approve', 'expert', 'APPROVED'],
  ['PENDING_SECOND_APPROVAL', 'approve', 'expert', 'APPROVED'],
  ['PENDING_SECOND_APPROVAL', 'reject', 'expert', 'REJECTED'],
];

const key = (s: string, a: string, r: string) => `${s}/${a}/${r}`;
const allowed = new Map(ALLOWED.map(([s, a, r, to]) => [key(s, a, r), to]));
const stepExistsFrom = new Set(ALLOWED.map(([s, a]) => `${s}/${a}`));

function errorOf(fn: () => unknown): { code: string; kind: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; kind: string };
  }
  throw new Error('expected an error');
}

describe('request workflow table', () => {
  const all = REQUEST_STATES.flatMap((s) => REQUEST_ACTIONS.flatMap((a) => ROLES.map((r) => [s, a, r] as const)));

  it.each(all.filter(([s, a, r]) => allowed.has(key(s, a, r))))('%s --%s--> allowed for %s', (state, action, role) => {
    const facts = happy(role, state, { request: { ...happy(role, state).request, environment: 'GSB' } });
    expect(decideTransition(action, state, facts).to).toBe(allowed.get(key(state, action, role)));
  });

  it.each(all.filter(([s, a, r]) => !allowed.has(key(s, a, r))))('%s --%s--> forbidden for %s', (state, action, role) => {
    const e = errorOf(() => decideTransition(action, state, happy(role, state)));
    if (stepExistsFrom.has(`${state}/${action}`)) {
      expect(e.code).toBe('GSB.ROLE_NOT_ALLOWED');
      expect(e.kind).toBe('forbidden');
    } else {
      expect(e.code).toBe('GSB.TRANSITION_NOT_ALLOWED');
      expect(e.kind).toBe('conflict');
    }
  });

  it('final states have no way out', () => {
    for (const s of ['APPROVED', 'REJECTED', 'WITHDRAWN'] as const) {
      for (const a of REQUEST_ACTIONS) for (const r of ROLES) expect(errorOf(() => decideTransition(a, s, happy(r, s))).code).toBe('GSB.TRANSITION_NOT_ALLOWED');
    }
  });
});

describe('request workflow guards', () => {
  const cases: [string, RequestState, RequestAction, WorkflowRole, Partial<TransitionFacts> | ((f: TransitionFacts) => TransitionFacts), string][] = [
    ['another agency cannot submit', 'DRAFT', 'submit', 'agency', { actor: { subject: 'x', roles: ['agency'], agencyId: 'agency-B' } }, 'GSB.NOT_YOUR_REQUEST'],
    ['a token without agency cannot submit', 'DRAFT', 'submit', 'agency', { actor: { subject: 'x', roles: ['agency'] } }, 'GSB.NOT_YOUR_REQUEST'],
    ['deficiencies stop a submit', 'DRAFT', 'submit', 'agency', { deficiencyCount: 2 }, 'GSB.REQUEST_INCOMPLETE'],
    ['deficiencies stop a resubmit', 'RETURNED', 'submit', 'agency', { deficiencyCount: 1 }, 'GSB.REQUEST_INCOMPLETE'],
    ['no connection stops a submit (steps 4–5)', 'DRAFT', 'submit', 'agency', { connected: false }, 'GSB.NOT_CONNECTED'],
    ['another agency cannot withdraw', 'SUBMITTED', 'withdraw', 'agency', { actor: { subject: 'x', roles: ['agency'], agencyId: 'agency-B' } }, 'GSB.NOT_YOUR_REQUEST'],
    ['only the claimant releases', 'IN_REVIEW', 'release', 'expert', (f) => ({ ...f, actor: { ...f.actor, subject: 'expert-2' } }), 'GSB.NOT_CLAIMANT'],
    ['only the claimant returns', 'IN_REVIEW', 'return', 'expert', (f) => ({ ...f, actor: { ...f.actor, subject: 'expert-2' } }), 'GSB.NOT_CLAIMANT'],
    ['return needs a list of fixes', 'IN_REVIEW', 'return', 'expert', { fixes: [] }, 'GSB.FIXES_REQUIRED'],
    ['reject needs a reason', 'IN_REVIEW', 'reject', 'expert', { reason: '  ' }, 'GSB.REASON_REQUIRED'],
    ['only the claimant rejects', 'IN_REVIEW', 'reject', 'expert', (f) => ({ ...f, actor: { ...f.actor, subject: 'expert-2' } }), 'GSB.NOT_CLAIMANT'],
    ['approve needs an evaluation', 'IN_REVIEW', 'approve', 'expert', (f) => ({ ...f, request: { ...f.request, evaluated: false } }), 'GSB.NOT_EVALUATED'],
    ['only the claimant approves', 'IN_REVIEW', 'approve', 'expert', (f) => ({ ...f, actor: { ...f.actor, subject: 'expert-2' } }), 'GSB.NOT_CLAIMANT'],
    ['the first approver cannot give the second approval', 'PENDING_SECOND_APPROVAL', 'approve', 'expert', (f) => ({ ...f, actor: { ...f.actor, subject: 'expert-0' } }), 'GSB.SECOND_APPROVER_REQUIRED'],
    ['the first approver cannot reject in second review', 'PENDING_SECOND_APPROVAL', 'reject', 'expert', (f) => ({ ...f, actor: { ...f.actor, subject: 'expert-0' } }), 'GSB.SECOND_APPROVER_REQUIRED'],
  ];
  it.each(cases)('%s', (_name, state, action, role, change, code) => {
    const base = happy(role, state);
    const facts = typeof change === 'function' ? change(base) : { ...base, ...change };
    expect(errorOf(() => decideTransition(action, state, facts)).code).toBe(code);
  });

  it('a PGSB approval goes to the second expert when four-eyes is on', () => {
    const f = happy('expert', 'IN_REVIEW');
    expect(decideTransition('approve', 'IN_REVIEW', { ...f, request: { ...f.request, environment: 'PGSB' } }).to).toBe('PENDING_SECOND_APPROVAL');
  });

  it('a PGSB approval is final when four-eyes is off', () => {
    const f = happy('expert', 'IN_REVIEW', { fourEyesPgsb: false });
    expect(decideTransition('approve', 'IN_REVIEW', { ...f, request: { ...f.request, environment: 'PGSB' } }).to).toBe('APPROVED');
  });

  it('a GSB approval is final even with four-eyes on', () => {
    expect(decideTransition('approve', 'IN_REVIEW', happy('expert', 'IN_REVIEW')).to).toBe('APPROVED');
  });

  it('the evaluation guard is reported, not the four-eyes selector, for an unevaluated PGSB approval', () => {
    const f = happy('expert', 'IN_REVIEW');
    const facts = { ...f, request: { ...f.request, environment: 'PGSB', evaluated: false } };
    expect(errorOf(() => decideTransition('approve', 'IN_REVIEW', facts)).code).toBe('GSB.NOT_EVALUATED');
  });
});

describe('workflow diagrams are made from the same table', () => {
  it('Mermaid lists every transition', () => {
    const m = workflowToMermaid();
    expect(m.startsWith('stateDiagram-v2')).toBe(true);
    expect(m).toContain('IN_REVIEW --> PENDING_SECOND_APPROVAL: approve (expert) [isClaimant, evaluated, fourEyesRequired]');
    expect(m).toContain('DRAFT --> SUBMITTED: submit (agency)');
  });

  it('BPMN has a task per open state, an end event per final state and a flow per transition', () => {
    const x = workflowToBpmn();
    expect(x).toContain('xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"');
    expect(x.match(/<bpmn:userTask /g)).toHaveLength(5);
    expect(x.match(/<bpmn:endEvent /g)).toHaveLength(3);
    expect(x.match(/<bpmn:sequenceFlow /g)).toHaveLength(15);
    expect(x).not.toContain('&amp;amp;');
  });
});
