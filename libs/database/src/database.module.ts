import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, type DataSourceConfig } from './create-data-source.js';
import { TransactionRunner } from './transaction-runner.js';
import { TypeOrmTransactionRunner } from './typeorm-transaction-runner.js';

export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * The service's own database: a DataSource (initialized at boot, pool closed on shutdown) and
 * the TransactionRunner. Global so every feature module can inject both.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forService(config: DataSourceConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_CONFIG, useValue: config },
        {
          provide: DataSource,
          useFactory: async () => createDataSource(config).initialize(),
        },
        {
          provide: TransactionRunner,
          useFactory: (dataSource: DataSource) => new TypeOrmTransactionRunner(dataSource),
          inject: [DataSource],
        },
        { provide: TypeOrmTransactionRunner, useExisting: TransactionRunner },
        DataSourceCloser,
      ],
      exports: [DataSource, TransactionRunner, TypeOrmTransactionRunner, DATABASE_CONFIG],
    };
  }
}
