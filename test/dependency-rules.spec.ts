import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'test', 'fixtures', 'dep-rules');
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs dependency-cruiser's CLI (the same one `npm run lint` runs) and returns its violations. */
function cruise(cwd: string): Violation[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [cli, 'apps', 'libs', '--config', config, '--output-type', 'json'], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    // Exit code = number of error-level violations; the JSON is still on stdout.
    out = (error as { stdout?: string }).stdout ?? '';
    if (!out) throw error;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  const found = cruise(fixtures).map((v) => `${v.rule.name}: ${v.from}`);

  it.each([
    ['app-imports-other-app', 'apps/alpha/src/orders/http/breaks-app-imports-other-app.ts'],
    ['lib-imports-app', 'libs/bad/src/breaks-lib-imports-app.ts'],
    ['domain-imports-framework', 'apps/alpha/src/orders/domain/breaks-domain-imports-nest.ts'],
    ['domain-imports-framework', 'apps/alpha/src/orders/domain/breaks-domain-imports-typeorm.ts'],
    ['domain-imports-platform-lib', 'apps/alpha/src/orders/domain/breaks-domain-imports-database-lib.ts'],
    ['domain-imports-outer-layer', 'apps/alpha/src/orders/domain/breaks-domain-imports-persistence.ts'],
    ['application-imports-persistence', 'apps/alpha/src/orders/application/breaks-application-imports-persistence.ts'],
    ['kafkajs-outside-messaging', 'apps/alpha/src/bus/breaks-kafkajs-outside-messaging.ts'],
  ])('%s fires on %s', (rule, file) => {
    expect(found).toContain(`${rule}: ${file}`);
  });

  it('stays silent on allowed imports (domain → core, persistence → typeorm, messaging → kafkajs, a test → kafkajs)', () => {
    const offenders = found.map((f) => f.split(': ')[1]).filter((file) => !file.split('/').pop()!.startsWith('breaks-'));
    expect(offenders).toEqual([]);
  });

  it('finds no violation in the real apps/ and libs/', () => {
    const violations = cruise(root).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(violations).toEqual([]);
  });
});
