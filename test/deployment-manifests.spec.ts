// No Docker engine or cluster runs here, so the deployment files are checked by reading them:
// every app under apps/ must appear in docker-compose.yml and in the k8s base with the port of
// SERVICE_CATALOG, the probes on the health routes the platform serves, and no secret values.
// Adding an app without its manifests fails here (`node k8s/generate.mjs` writes the k8s part).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as yaml from 'js-yaml';
import { SERVICE_CATALOG } from '@darvazeh/config';

const ROOT = process.cwd();
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const APPS = readdirSync(path.join(ROOT, 'apps'))
  .filter((d) => statSync(path.join(ROOT, 'apps', d)).isDirectory())
  .sort();
const catalog = SERVICE_CATALOG as Record<string, { port: number }>;
const portOf = (app: string) => catalog[app].port;
const dbName = (app: string) => `darvazeh_${app.replace(/-/g, '_')}`;

// Compose files are YAML 1.1 with merge keys (`<<: *app-env`).
const compose = yaml.load(read('docker-compose.yml'), { schema: yaml.YAML11_SCHEMA }) as Obj;

/** Objects reachable from a kustomization dir, following `resources` (files and dirs). */
function kustomize(dir: string): { objects: Obj[]; files: string[] } {
  const kfile = path.join(dir, 'kustomization.yaml');
  if (!existsSync(kfile)) throw new Error(`${path.relative(ROOT, dir)} has no kustomization.yaml`);
  const k = yaml.load(readFileSync(kfile, 'utf8')) as Obj;
  const objects: Obj[] = [];
  const files = [kfile];
  for (const res of (k.resources ?? []) as string[]) {
    const full = path.resolve(dir, res);
    if (!existsSync(full)) throw new Error(`${path.relative(ROOT, kfile)} lists missing resource ${res}`);
    if (statSync(full).isDirectory()) {
      const sub = kustomize(full);
      objects.push(...sub.objects);
      files.push(...sub.files);
    } else {
      files.push(full);
      for (const doc of yaml.loadAll(readFileSync(full, 'utf8'))) if (doc) objects.push(doc as Obj);
    }
  }
  return { objects, files };
}

function allYamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return allYamlFiles(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

const base = kustomize(path.join(ROOT, 'k8s/base'));
const find = (kind: string, name: string) => base.objects.find((o) => o.kind === kind && o.metadata?.name === name);

/** Minimal RFC 6902 pointer walk: enough to prove an overlay's patch paths exist in the base. */
function pointerParentExists(doc: Obj, pointer: string, op: string): boolean {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i += 1) {
    const last = i === parts.length - 1;
    if (cur === null || typeof cur !== 'object') return false;
    const key = Array.isArray(cur) ? Number(parts[i]) : parts[i];
    if (last) return op === 'add' ? true : key in (cur as Obj);
    cur = (cur as Obj)[key as string];
  }
  return true;
}

describe('every app under apps/ is a deployable service', () => {
  it('has apps to check, each in SERVICE_CATALOG', () => {
    expect(APPS.length).toBeGreaterThan(0);
    for (const app of APPS) expect({ app, inCatalog: app in catalog }).toEqual({ app, inCatalog: true });
  });
});

describe('Dockerfile', () => {
  const df = read('Dockerfile');

  it('is multi-stage, runs as a non-root user and starts dist/apps/$APP/src/main.js', () => {
    expect((df.match(/^FROM /gm) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(df).toMatch(/^ARG APP$/m);
    expect(df).toMatch(/npm ci/);
    expect(df).toMatch(/npm run build/);
    expect(df).toMatch(/--omit=dev/);
    const users = [...df.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)$/);
    expect(df).toMatch(/^CMD .*dist\/apps\/\$APP\/src\/main\.js/m);
    expect(df).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.git', '.data', '.cache', '.env', 'dist']) expect(ignored).toContain(entry);
  });

  it('builds from files that exist (tsconfig the build uses, package-lock for npm ci)', () => {
    for (const m of df.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
      for (const src of m[1].split(/\s+/)) expect({ src, exists: existsSync(path.join(ROOT, src)) }).toEqual({ src, exists: true });
    }
  });
});

describe('docker-compose.yml', () => {
  const services = compose.services as Obj;

  it('runs PostgreSQL 17 with one database per app and Apache Kafka 4.x in KRaft mode', () => {
    expect(services.postgres.image).toMatch(/^postgres:17/);
    expect(services.postgres.healthcheck?.test).toBeDefined();
    const init = Object.values((compose.configs ?? {}) as Obj).map((c) => c.content ?? '').join('\n');
    for (const app of APPS) expect(init).toContain(`CREATE DATABASE ${dbName(app)};`);

    expect(services.kafka.image).toMatch(/^apache\/kafka:4\./);
    const env = services.kafka.environment as Obj;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(String(env.KAFKA_CONTROLLER_QUORUM_VOTERS)).toMatch(/^1@kafka:\d+$/);
    expect(String(env.CLUSTER_ID)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(String(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE)).toBe('false');
    expect(services.kafka.healthcheck?.test).toBeDefined();
  });

  it.each(APPS)('%s: built from the Dockerfile with its catalog port, database, broker and JWKS', (app) => {
    const svc = services[app] as Obj | undefined;
    expect(svc).toBeDefined();
    const port = portOf(app);
    expect(svc!.build.args.APP).toBe(app);
    expect(String(svc!.build.args.PORT)).toBe(String(port));
    const env = svc!.environment as Obj;
    expect(String(env.PORT)).toBe(String(port));
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.SERVICE_NAME).toBe(app);
    expect(env.DATABASE_URL).toMatch(new RegExp(`@postgres:5432/${dbName(app)}$`));
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(env.JWKS_URL).toBe(`http://identity:${portOf('identity')}/.well-known/jwks.json`);
    expect(env.JWT_ISSUER).toBeTruthy();
    expect(env.JWT_AUDIENCE).toBeTruthy();
    expect(svc!.ports).toContain(`${port}:${port}`);
    expect(svc!.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${port}/health/ready`);
    expect(svc!.depends_on.postgres.condition).toBe('service_healthy');
    expect(svc!.depends_on.kafka.condition).toBe('service_healthy');
    if (app !== 'identity') expect(svc!.depends_on.identity.condition).toBe('service_healthy');
  });

  it('lists no app service whose directory does not exist (the build would fail)', () => {
    const appServices = Object.entries(services).filter(([, s]) => (s as Obj).build).map(([name]) => name);
    expect(appServices.sort()).toEqual(APPS);
  });
});

describe('k8s', () => {
  it('every YAML file under k8s/ parses', () => {
    const files = allYamlFiles(path.join(ROOT, 'k8s'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(() => yaml.loadAll(readFileSync(f, 'utf8'))).not.toThrow();
  });

  it('holds references to Secrets, never Secret values', () => {
    const files = allYamlFiles(path.join(ROOT, 'k8s'));
    for (const f of files) {
      for (const doc of yaml.loadAll(readFileSync(f, 'utf8')) as Obj[]) {
        expect({ file: path.relative(ROOT, f), kind: doc?.kind }).not.toEqual({ file: path.relative(ROOT, f), kind: 'Secret' });
      }
    }
  });

  it('base carries the platform settings every app reads', () => {
    const cm = find('ConfigMap', 'darvazeh-platform');
    expect(cm?.data).toMatchObject({
      HOST: '0.0.0.0',
      JWKS_URL: `http://identity:${portOf('identity')}/.well-known/jwks.json`,
    });
    expect(cm?.data.KAFKA_BROKERS).toBeTruthy();
  });

  describe.each(APPS)('%s', (app) => {
    const port = portOf(app);

    it('Deployment: catalog port, liveness /health/live and readiness /health/ready on it, non-root, resources, scrape annotations', () => {
      const d = find('Deployment', app);
      expect(d).toBeDefined();
      const pod = d!.spec.template;
      const [c] = pod.spec.containers as Obj[];
      const named = Object.fromEntries((c.ports as Obj[]).map((p) => [p.name, p.containerPort]));
      const probePort = (probe: Obj) => (typeof probe.httpGet.port === 'number' ? probe.httpGet.port : named[probe.httpGet.port]);
      expect(c.ports.map((p: Obj) => p.containerPort)).toContain(port);
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
      expect(probePort(c.livenessProbe)).toBe(port);
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(probePort(c.readinessProbe)).toBe(port);
      expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.resources.requests.cpu).toBeTruthy();
      expect(c.resources.requests.memory).toBeTruthy();
      expect(c.resources.limits.memory).toBeTruthy();
      expect(pod.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
      // The selector must match the pods it creates.
      for (const [k, v] of Object.entries(d!.spec.selector.matchLabels as Obj)) expect(pod.metadata.labels[k]).toBe(v);
      const envFrom = (c.envFrom as Obj[]).map((e) => e.configMapRef?.name);
      expect(envFrom).toEqual(expect.arrayContaining(['darvazeh-platform', `${app}-config`]));
      const dbEnv = (c.env as Obj[]).find((e) => e.name === 'DATABASE_URL');
      expect(dbEnv?.valueFrom?.secretKeyRef?.name).toBe(`${app}-secrets`);
    });

    it('Service and ConfigMap agree with the catalog port', () => {
      const s = find('Service', app);
      expect(s?.spec.ports[0].port).toBe(port);
      expect(s?.spec.selector).toEqual(find('Deployment', app)!.spec.selector.matchLabels);
      expect(find('ConfigMap', `${app}-config`)?.data).toMatchObject({ PORT: String(port), SERVICE_NAME: app });
    });

    it('HPA scales its Deployment and a PodDisruptionBudget guards it', () => {
      const h = find('HorizontalPodAutoscaler', app);
      expect(h?.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: app });
      expect(h?.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(h?.spec.maxReplicas).toBeGreaterThan(h?.spec.minReplicas);
      const p = find('PodDisruptionBudget', app);
      expect(p?.spec.selector.matchLabels).toEqual(find('Deployment', app)!.spec.selector.matchLabels);
    });
  });

  describe.each(['dev', 'prod'])('overlay %s', (overlay) => {
    const dir = path.join(ROOT, 'k8s/overlays', overlay);
    const k = yaml.load(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Obj;

    it('builds on the base, sets a namespace and an image tag for every app', () => {
      expect(k.resources).toContain('../../base');
      expect(k.namespace).toBeTruthy();
      const imageNames = (k.images as Obj[]).map((i) => i.name as string);
      for (const app of APPS) {
        const image = find('Deployment', app)!.spec.template.spec.containers[0].image as string;
        expect(imageNames).toContain(image.split(':')[0]);
      }
    });

    it('patches only paths that exist in the base objects it targets', () => {
      for (const p of (k.patches ?? []) as Obj[]) {
        const targets = base.objects.filter(
          (o) => o.kind === p.target.kind && (!p.target.name || o.metadata.name === p.target.name),
        );
        expect({ target: p.target, matches: targets.length > 0 }).toEqual({ target: p.target, matches: true });
        for (const op of yaml.load(p.patch) as Obj[]) {
          for (const t of targets) {
            expect({ obj: t.metadata.name, op: op.op, path: op.path, ok: pointerParentExists(t, op.path, op.op) })
              .toEqual({ obj: t.metadata.name, op: op.op, path: op.path, ok: true });
          }
        }
      }
    });

    it('renders with kustomize (kubectl kustomize) to one object set per app, when kubectl is installed', () => {
      const res = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      if (res.error) {
        // No kubectl on this machine: the structural checks above still ran.
        expect((res.error as NodeJS.ErrnoException).code).toBe('ENOENT');
        return;
      }
      expect({ status: res.status, stderr: res.stderr }).toMatchObject({ status: 0 });
      const rendered = yaml.loadAll(res.stdout) as Obj[];
      for (const app of APPS) {
        for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
          const o = rendered.find((r) => r.kind === kind && r.metadata.name === app);
          expect({ app, kind, namespace: o?.metadata.namespace }).toEqual({ app, kind, namespace: k.namespace });
        }
      }
    });
  });
});
