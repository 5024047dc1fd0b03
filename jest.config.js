// Jest runs in native ESM mode (node --experimental-vm-modules): NestJS 12 ships ESM only and
// Jest's CommonJS runtime cannot require() ESM on Node 20. @swc/jest transpiles TypeScript with
// legacy decorators and decorator metadata (Nest's DI needs design:paramtypes) and needs no
// TypeScript compiler API, so the TypeScript version we pin does not constrain the tests.
import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swc.$schema;

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@darvazeh/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/.cache/'],
};

export default {
  rootDir: '.',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'] },
    // Real PostgreSQL and Kafka: starting or closing a service (consumer groups leaving) can take
    // more than jest's default 5 s on a busy 2-core CI machine. Behaviour is asserted, never time.
    { ...shared, displayName: 'integration', testTimeout: 30_000, testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testTimeout: 30_000, testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
  ],
};
