/**
 * Layering rules of Darvazeh (see shared/ARCHITECTURE.md). `npm run lint` runs them on apps/
 * and libs/; test/dependency-rules.spec.ts proves each rule fires on fixtures.
 * Paths of npm packages are matched unanchored (`(^|/)node_modules/`) so the rules also work
 * when cruising from a sub-directory (the fixtures).
 */
const TEST_FILE = '\\.(spec|int-spec|e2e-spec)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-other-app',
      comment: 'Apps never import other apps: shared code goes to libs/, cross-service data travels as events.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app',
      comment: 'Libraries are the ground apps stand on; they never reach up into an app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-imports-framework',
      comment: 'domain/ is plain TypeScript: no NestJS, no TypeORM.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: { path: '(^|/)node_modules/(@nestjs/|typeorm/)' },
    },
    {
      name: 'domain-imports-platform-lib',
      comment:
        'domain/ may use only @darvazeh/core among the libs: the others pull in NestJS or TypeORM ' +
        '(through them the domain would depend on the framework after all).',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: { path: '^libs/', pathNot: '^libs/core/' },
    },
    {
      name: 'domain-imports-outer-layer',
      comment: 'domain/ is the inner layer: it never imports application/, http/, messaging/ or persistence/ code.',
      severity: 'error',
      from: { path: '(^|/)domain/', pathNot: TEST_FILE },
      to: { path: '(^|/)(application|http|messaging|persistence)/' },
    },
    {
      name: 'application-imports-persistence',
      comment:
        'application/ works through repository ports (abstract classes in domain/); the SQL lives in ' +
        'persistence/ adapters wired by the module. Not yet enforced in api-gateway and gsb-workflow, ' +
        'whose use cases still import their persistence/ code (the open part of issue 10 §3): remove ' +
        'them from pathNot once they have ports.',
      severity: 'error',
      from: { path: '(^|/)application/', pathNot: [TEST_FILE, '^apps/(api-gateway|gsb-workflow)/'] },
      to: { path: '(^|/)persistence/' },
    },
    {
      name: 'kafkajs-outside-messaging',
      comment:
        'Only libs/messaging talks to Kafka (through the MessageBus port everyone else uses). ' +
        'Tests may drive the broker directly as an independent peer.',
      severity: 'error',
      from: { pathNot: ['^libs/messaging/', TEST_FILE] },
      to: { path: '(^|/)node_modules/kafkajs/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.cache|\\.data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
