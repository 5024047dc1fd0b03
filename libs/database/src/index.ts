export * from './transaction-runner.js';
export * from './typeorm-transaction-runner.js';
export * from './snake-naming.strategy.js';
export * from './create-data-source.js';
export * from './database.module.js';
