// gsb-workflow's use cases wired to in-memory ports, as the module wires them to SQL.
import { ChangeCatalogServiceUseCase } from '../catalog/application/change-catalog-service.use-case.js';
import { RegisterCatalogServiceUseCase } from '../catalog/application/register-catalog-service.use-case.js';
import { SeedCatalogUseCase } from '../catalog/application/seed-catalog.use-case.js';
import { GsbSettings } from '../config/gsb-settings.js';
import { GsbWorkflowEnv } from '../config/gsb-workflow.env.js';
import { ConnectionQueries } from '../connections/application/connection-queries.js';
import { ChangeGrantStatusUseCase } from '../grants/application/change-grant-status.use-case.js';
import { GrantQueries } from '../grants/application/grant-queries.js';
import { CreateRequestUseCase } from '../requests/application/create-request.use-case.js';
import { RequestFacts } from '../requests/application/request-facts.js';
import { RequestQueries } from '../requests/application/request-queries.js';
import { TakeStepUseCase } from '../requests/application/take-step.use-case.js';
import { UpdateRequestUseCase } from '../requests/application/update-request.use-case.js';
import { UploadLetterUseCase } from '../requests/application/upload-letter.use-case.js';
import { EscalateOverdueUseCase } from '../review/application/escalate-overdue.use-case.js';
import { RecordEvaluationUseCase } from '../review/application/record-evaluation.use-case.js';
import {
  FakeOutbox,
  FakeTransactionRunner,
  InMemoryCatalogRepository,
  InMemoryConnectionRepository,
  InMemoryGrantRepository,
  InMemoryRequestFactsRepository,
  InMemoryRequestRepository,
} from './in-memory.js';

export type GsbWorld = ReturnType<typeof gsbWorld>;

/** Settings from the env defaults, with `overrides` (e.g. `{ GSB_FOUR_EYES_PGSB: false }`). */
export function gsbWorld(overrides: Partial<GsbWorkflowEnv> = {}) {
  const settings = GsbSettings.fromEnv(Object.assign(new GsbWorkflowEnv(), overrides));
  const fakeTx = new FakeTransactionRunner();
  const outbox = new FakeOutbox();
  const catalog = new InMemoryCatalogRepository();
  const connections = new InMemoryConnectionRepository();
  const grants = new InMemoryGrantRepository();
  const requests = new InMemoryRequestRepository({ outbox, grants, connections });
  fakeTx.stores.push(outbox, catalog.store, connections.store, grants.store, requests.store, requests.historyStore, requests.files);
  const tx = fakeTx;
  const facts = new RequestFacts(settings, new InMemoryRequestFactsRepository(catalog, connections, grants, requests));
  return {
    settings,
    tx: fakeTx,
    outbox,
    catalog,
    connections,
    grants,
    requests,
    seedCatalog: new SeedCatalogUseCase(tx, outbox.asWriter(), catalog, settings),
    registerService: new RegisterCatalogServiceUseCase(tx, outbox.asWriter(), catalog),
    changeService: new ChangeCatalogServiceUseCase(tx, outbox.asWriter(), catalog),
    connectionQueries: new ConnectionQueries(connections),
    createRequest: new CreateRequestUseCase(outbox.asWriter(), requests, facts),
    updateRequest: new UpdateRequestUseCase(tx, outbox.asWriter(), requests, catalog),
    uploadLetter: new UploadLetterUseCase(outbox.asWriter(), requests, settings),
    takeStep: new TakeStepUseCase(outbox.asWriter(), requests, facts, settings),
    recordEvaluation: new RecordEvaluationUseCase(requests),
    escalateOverdue: new EscalateOverdueUseCase(tx, outbox.asWriter(), requests, settings),
    requestQueries: new RequestQueries(requests, facts),
    changeGrant: new ChangeGrantStatusUseCase(tx, outbox.asWriter(), grants),
    grantQueries: new GrantQueries(grants),
  };
}
