import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { EventContract } from './define-event.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export type PayloadValidation = { valid: true } | { valid: false; errors: string[] };

/**
 * Looks contracts up by type and validates payloads against their JSON Schema. Validators are
 * compiled once per type, on first use, and cached: the consumer hot path only runs them.
 */
export class ContractCatalog {
  private readonly byType = new Map<string, EventContract>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv2020;

  constructor(contracts: readonly EventContract[]) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(this.ajv);
    for (const contract of contracts) this.add(contract);
  }

  add(contract: EventContract): void {
    const existing = this.byType.get(contract.type);
    if (existing && existing !== contract) {
      throw new Error(`event type ${contract.type} is declared twice`);
    }
    this.byType.set(contract.type, contract);
  }

  all(): EventContract[] {
    return [...this.byType.values()];
  }

  find(type: string): EventContract | undefined {
    return this.byType.get(type);
  }

  get(type: string): EventContract {
    const contract = this.byType.get(type);
    if (!contract) throw new UnknownEventTypeError(type);
    return contract;
  }

  topicOf(type: string): string {
    return this.get(type).topic;
  }

  validate(type: string, payload: unknown): PayloadValidation {
    let validator = this.validators.get(type);
    if (!validator) {
      validator = this.ajv.compile(this.get(type).schema);
      this.validators.set(type, validator);
    }
    if (validator(payload)) return { valid: true };
    return { valid: false, errors: (validator.errors ?? []).map(describeError) };
  }
}

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type ${eventType}: no contract is registered in @darvazeh/contracts`);
    this.name = 'UnknownEventTypeError';
  }
}

function describeError(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(root)' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${at}: unexpected property "${String(error.params['additionalProperty'])}"`;
  }
  if (error.keyword === 'required') {
    return `${at}: missing required property "${String(error.params['missingProperty'])}"`;
  }
  return `${at}: ${error.message ?? error.keyword}`;
}
