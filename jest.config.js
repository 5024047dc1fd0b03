// Jest runs in native ESM mode (node --experimental-vm-modules): NestJS 12 ships ESM only and
// Jest's CommonJS runtime cannot require() ESM on Node 20. @swc/jest transpiles TypeScript with
// legacy decorators and decorator metadata (Nest's DI needs design:paramtypes) and needs no
// TypeScript compiler API, so the TypeScript version we pin does not constrain the tests.
import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swc.$schema;

const serviceTestSetup = [
  '<rootDir>/libs/testing/src/jest-quiet-nest-logs.ts',
  '<rootDir>/libs/testing/src/jest-service-test-timeout.ts',
];

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@darvazeh/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/.cache/'],
  setupFiles: ['<rootDir>/libs/testing/src/jest-quiet-nest-logs.ts'],
};

export default {
  rootDir: '.',
  // Measured (2026-12-07, instrumenting jest-worker): when jest ends a worker, the worker has no
  // handle left but its stdio pipes and reaches process 'exit' within 3 ms, yet Node needs
  // 550-670 ms more to tear down a process that ran ~30 ESM test files in vm contexts. Jest's
  // default grace of 500 ms then kills it and prints "A worker process has failed to exit
  // gracefully" at the end of every run. Not a leak: give the teardown the time it takes.
  workerGracefulExitTimeout: 5000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'] },
    // Real PostgreSQL and Kafka: a 30 s test timeout (see jest-service-test-timeout.ts for why it
    // is set there and not with `testTimeout` here).
    { ...shared, displayName: 'integration', setupFiles: serviceTestSetup, testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', setupFiles: serviceTestSetup, testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
  ],
};
