import type { ContactInfo, CredentialInfo, LetterFileInfo, LetterInfo, RequestDraft, RequestKind, SystemInfo } from './deficiencies.js';
import type { RequestState } from './request-workflow.js';

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The expert's "evaluation of qualification and priority" (the card's output step). */
export interface Evaluation {
  qualified: boolean;
  notes: string;
  evaluatedBy: string;
  evaluatedAt: string;
}

export interface Fix {
  field: string;
  message: string;
}

/** The fields an applicant fills in, in any order (stored as one JSON document). */
export interface DraftFields {
  system: SystemInfo | null;
  letter: LetterInfo | null;
  contact: ContactInfo | null;
  connectionEnvironments: string[] | null;
  systems: SystemInfo[] | null;
  ipRanges: string[] | null;
  credential: CredentialInfo | null;
  /** What the applicant asks for; the approving expert may set others. */
  requestedQuotaPerMinute: number | null;
  requestedQuotaPerDay: number | null;
}

export const EMPTY_DRAFT: DraftFields = {
  system: null,
  letter: null,
  contact: null,
  connectionEnvironments: null,
  systems: null,
  ipRanges: null,
  credential: null,
  requestedQuotaPerMinute: null,
  requestedQuotaPerDay: null,
};

export interface RequestRecord {
  id: string;
  kind: RequestKind;
  agencyId: string;
  createdBy: string;
  state: RequestState;
  environment: string | null;
  serviceCode: string | null;
  /** The service's provider when the request was last edited (queue filter). */
  providerAgencyId: string | null;
  draft: DraftFields;
  letterFile: LetterFileInfo | null;
  evaluation: Evaluation | null;
  priority: Priority | null;
  claimedBy: string | null;
  claimedAt: Date | null;
  firstApprovedBy: string | null;
  fixes: Fix[] | null;
  decisionReason: string | null;
  submittedAt: Date | null;
  claimDueAt: Date | null;
  decisionDueAt: Date | null;
  claimEscalatedAt: Date | null;
  decisionEscalatedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface HistoryEntry {
  at: Date;
  actor: string;
  actorRole: 'agency' | 'expert' | 'admin' | 'system';
  action: string;
  fromState: RequestState | null;
  toState: RequestState;
  comment: string | null;
  details: Record<string, unknown> | null;
}

/** The draft as the deficiency rules read it. */
export function draftOf(r: RequestRecord): RequestDraft {
  return {
    kind: r.kind,
    environment: r.environment,
    serviceCode: r.serviceCode,
    system: r.draft.system,
    letter: r.draft.letter,
    letterFile: r.letterFile,
    contact: r.draft.contact,
    connectionEnvironments: r.draft.connectionEnvironments,
    systems: r.draft.systems,
    ipRanges: r.draft.ipRanges,
    credential: r.draft.credential,
  };
}

/** The environment that decides four-eyes: a connection touching PGSB counts as PGSB. */
export function decisiveEnvironment(r: RequestRecord): string | null {
  if (r.kind === 'SERVICE') return r.environment;
  return r.draft.connectionEnvironments?.includes('PGSB') ? 'PGSB' : (r.draft.connectionEnvironments?.[0] ?? null);
}

/** States in which the applicant may edit the request. */
export const EDITABLE_STATES: readonly RequestState[] = ['DRAFT', 'RETURNED'];
