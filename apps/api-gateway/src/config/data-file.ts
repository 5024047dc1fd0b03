import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file of `apps/api-gateway/data/` (service cards, GSB seed), found from this module both in
 * the sources and in `dist/` (the folder is looked up walking towards the root), unless
 * `override` names another file.
 */
export function readDataFile(name: string, override?: string): unknown {
  const file = override ?? locate(name);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function locate(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i += 1) {
    for (const candidate of [path.join(dir, 'apps/api-gateway/data', name), path.join(dir, 'data', name)]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`api-gateway: data file ${name} not found (set its *_FILE variable)`);
}
