import { PrincipalRevocationModule, principalRevocationMigrations } from '@darvazeh/auth';
import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@darvazeh/contracts';
import { PlatformModule } from '@darvazeh/http';
import { messagingMigrations } from '@darvazeh/messaging';
import { CatalogQueries } from './catalog/application/catalog-queries.js';
import { ChangeCatalogServiceUseCase } from './catalog/application/change-catalog-service.use-case.js';
import { RegisterCatalogServiceUseCase } from './catalog/application/register-catalog-service.use-case.js';
import { SeedCatalogUseCase } from './catalog/application/seed-catalog.use-case.js';
import { CatalogController } from './catalog/http/catalog.controller.js';
import { CatalogRepository } from './catalog/domain/catalog.repository.js';
import { TypeOrmCatalogRepository } from './catalog/persistence/typeorm-catalog.repository.js';
import { GsbSettings } from './config/gsb-settings.js';
import { GsbWorkflowEnv } from './config/gsb-workflow.env.js';
import { ConnectionsController } from './connections/http/connections.controller.js';
import { ConnectionQueries } from './connections/application/connection-queries.js';
import { ConnectionRepository } from './connections/domain/connection.repository.js';
import { TypeOrmConnectionRepository } from './connections/persistence/typeorm-connection.repository.js';
import { ChangeGrantStatusUseCase } from './grants/application/change-grant-status.use-case.js';
import { GrantQueries } from './grants/application/grant-queries.js';
import { GrantsController } from './grants/http/grants.controller.js';
import { GrantRepository } from './grants/domain/grant.repository.js';
import { TypeOrmGrantRepository } from './grants/persistence/typeorm-grant.repository.js';
import { GSB_MIGRATIONS } from './migrations/index.js';
import { PortalController } from './portal/portal.controller.js';
import { CreateRequestUseCase } from './requests/application/create-request.use-case.js';
import { RequestFacts } from './requests/application/request-facts.js';
import { RequestQueries } from './requests/application/request-queries.js';
import { TakeStepUseCase } from './requests/application/take-step.use-case.js';
import { UpdateRequestUseCase } from './requests/application/update-request.use-case.js';
import { UploadLetterUseCase } from './requests/application/upload-letter.use-case.js';
import { MultipartSupport } from './requests/http/letter-upload.js';
import { RequestsController } from './requests/http/requests.controller.js';
import { RequestFactsRepository } from './requests/domain/request-facts.repository.js';
import { RequestRepository } from './requests/domain/request.repository.js';
import { TypeOrmRequestFactsRepository } from './requests/persistence/typeorm-request-facts.repository.js';
import { TypeOrmRequestRepository } from './requests/persistence/typeorm-request.repository.js';
import { EscalateOverdueUseCase } from './review/application/escalate-overdue.use-case.js';
import { RecordEvaluationUseCase } from './review/application/record-evaluation.use-case.js';
import { ReviewController } from './review/http/review.controller.js';
import { WorkflowController } from './workflow/http/workflow.controller.js';

export const SERVICE = 'gsb-workflow';

/** The migrations `npm run migrate` and the embedded start run for this service. */
export const GSB_WORKFLOW_MIGRATIONS = [...messagingMigrations, ...principalRevocationMigrations, ...GSB_MIGRATIONS];

/** GSB/PGSB: service catalog, connections, service requests, the experts' review, access grants. */
@Module({})
export class GsbWorkflowModule {
  static register(env: GsbWorkflowEnv): DynamicModule {
    return {
      module: GsbWorkflowModule,
      imports: [
        PlatformModule.forService({
          service: SERVICE,
          env,
          entities: [],
          migrations: GSB_WORKFLOW_MIGRATIONS,
          topics: [TOPICS.gsbCatalog, TOPICS.gsbRequests, TOPICS.gsbGrants],
        }),
        // Tokens of principals disabled at identity are refused at once, not when they expire.
        PrincipalRevocationModule,
      ],
      controllers: [WorkflowController, CatalogController, ConnectionsController, RequestsController, ReviewController, GrantsController, PortalController],
      providers: [
        { provide: GsbSettings, useValue: GsbSettings.fromEnv(env) },
        MultipartSupport,
        // Repository ports (domain/) bound to their SQL adapters (persistence/).
        { provide: CatalogRepository, useClass: TypeOrmCatalogRepository },
        { provide: ConnectionRepository, useClass: TypeOrmConnectionRepository },
        { provide: GrantRepository, useClass: TypeOrmGrantRepository },
        { provide: RequestRepository, useClass: TypeOrmRequestRepository },
        { provide: RequestFactsRepository, useClass: TypeOrmRequestFactsRepository },
        ConnectionQueries,
        RequestFacts,
        CatalogQueries,
        RegisterCatalogServiceUseCase,
        ChangeCatalogServiceUseCase,
        SeedCatalogUseCase,
        CreateRequestUseCase,
        UpdateRequestUseCase,
        UploadLetterUseCase,
        TakeStepUseCase,
        RequestQueries,
        RecordEvaluationUseCase,
        EscalateOverdueUseCase,
        GrantQueries,
        ChangeGrantStatusUseCase,
      ],
    };
  }
}
