#!/usr/bin/env node
// Writes the Kustomize base and overlays for every app under apps/ that is in SERVICE_CATALOG.
// The manifests are committed (reviewable, `kubectl apply -k` needs no Node); this script only
// keeps them uniform. After adding an app: add it to SERVICE_CATALOG, to APP_SETTINGS below if it
// needs secrets beyond DATABASE_URL, run `node k8s/generate.mjs`, and add it to
// docker-compose.yml. test/deployment-manifests.spec.ts fails until all of that is done.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const K8S = path.join(ROOT, 'k8s');

/** Reads name → port from libs/config/src/service-catalog.ts (TS source; no build needed). */
function readCatalog() {
  const src = readFileSync(path.join(ROOT, 'libs/config/src/service-catalog.ts'), 'utf8');
  const catalog = {};
  for (const m of src.matchAll(/^\s*'?([a-z][a-z-]*)'?\s*:\s*\{\s*port:\s*(\d+)/gm)) catalog[m[1]] = Number(m[2]);
  return catalog;
}

/**
 * Per-app differences. `secrets`: [variable, required] read from the Secret `<app>-secrets`
 * (created by the operator or an external secret manager, never committed). `tmp`: size of the
 * writable /tmp (the root filesystem is read-only).
 */
const APP_SETTINGS = {
  identity: {
    secrets: [
      ['DATABASE_URL', true],
      ['KEY_ENCRYPTION_SECRET', true],
      ['OTP_HASH_SECRET', false],
      ['BOOTSTRAP_ADMIN_CLIENT_ID', false],
      ['BOOTSTRAP_ADMIN_CLIENT_SECRET', false],
      ['SMS_HTTP_URL', false],
    ],
    config: {},
  },
  // Bulk sighting files are streamed; /tmp only holds spill-over of multipart parsing.
  'device-registry': { secrets: [['DATABASE_URL', true]], config: {}, tmp: '4Gi', memory: '1Gi' },
  'ocsp-responder': {
    secrets: [['DATABASE_URL', true]],
    // Every node of the cache tier (StatefulSet pods, by the headless Service) is told to BAN.
    // The cache nodes' X-Forwarded-For names the client whose live signing is bounded.
    config: {
      OCSP_CACHE_PURGE_URLS: 'http://ocsp-cache-0.ocsp-cache-nodes:8080,http://ocsp-cache-1.ocsp-cache-nodes:8080',
      TRUST_PROXY: 'uniquelocal',
    },
    extras: () => ocspCacheTier(),
  },
  // Multipart attachment uploads and recipient CSVs are buffered in memory per request (≤ 64 MiB).
  // Attachments in an S3-compatible bucket; credentials optional (unset = the SDK's default chain, e.g. a pod identity).
  karpoosheh: {
    secrets: [
      ['DATABASE_URL', true],
      ['ATTACHMENT_S3_ACCESS_KEY_ID', false],
      ['ATTACHMENT_S3_SECRET_ACCESS_KEY', false],
    ],
    config: { KARPOOSHEH_MODE: 'production', ATTACHMENT_STORE: 's3', ATTACHMENT_S3_BUCKET: 'darvazeh-karpoosheh-attachments', ATTACHMENT_S3_REGION: 'us-east-1' },
    memory: '1Gi',
  },
  // The one public entry: upstreams by Service DNS name; the chain-head signing key from a Secret.
  'api-gateway': {
    secrets: [
      ['DATABASE_URL', true],
      ['GATEWAY_SIGNING_KEY_PEM', false],
    ],
    config: {
      UPSTREAM_IDENTITY_URL: 'http://identity:3001',
      UPSTREAM_DEVICE_REGISTRY_URL: 'http://device-registry:3002',
      UPSTREAM_KARPOOSHEH_URL: 'http://karpoosheh:3003',
      UPSTREAM_GSB_WORKFLOW_URL: 'http://gsb-workflow:3004',
      UPSTREAM_OCSP_RESPONDER_URL: 'http://ocsp-responder:3005',
      RATE_LIMIT_STORE: 'postgres',
    },
    memory: '1Gi',
  },
};
const DEFAULT_SETTINGS = { secrets: [['DATABASE_URL', true]], config: {} };

const PART_OF = 'darvazeh';
const IMAGE_REPO = 'ghcr.io/darvazeh';
const labelsFor = (app) => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': PART_OF });

function deployment(app, port, s) {
  const labels = labelsFor(app);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, labels },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels,
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(port),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: app,
            image: `${IMAGE_REPO}/${app}:latest`,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
            envFrom: [
              { configMapRef: { name: 'darvazeh-platform' } },
              { configMapRef: { name: `${app}-config` } },
            ],
            env: s.secrets.map(([name, required]) => ({
              name,
              valueFrom: { secretKeyRef: { name: `${app}-secrets`, key: name, ...(required ? {} : { optional: true }) } },
            })),
            // Migrations run at start (MIGRATE_ON_START): give the first boot time before liveness counts.
            startupProbe: {
              httpGet: { path: '/health/live', port: 'http' },
              periodSeconds: 2,
              failureThreshold: 60,
            },
            livenessProbe: {
              httpGet: { path: '/health/live', port: 'http' },
              periodSeconds: 10,
              timeoutSeconds: 2,
              failureThreshold: 3,
            },
            readinessProbe: {
              httpGet: { path: '/health/ready', port: 'http' },
              periodSeconds: 5,
              timeoutSeconds: 3,
              failureThreshold: 2,
            },
            resources: {
              requests: { cpu: '100m', memory: '256Mi' },
              limits: { cpu: '1', memory: s.memory ?? '512Mi' },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: s.tmp ?? '256Mi' } }],
        },
      },
    },
  };
}

const service = (app, port) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: app, labels: labelsFor(app) },
  spec: {
    type: 'ClusterIP',
    selector: { 'app.kubernetes.io/name': app },
    ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }],
  },
});

const configMap = (app, port, s) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `${app}-config`, labels: labelsFor(app) },
  data: { SERVICE_NAME: app, PORT: String(port), ...s.config },
});

const hpa = (app) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: app, labels: labelsFor(app) },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
    minReplicas: 2,
    maxReplicas: 6,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
});

const pdb = (app) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: app, labels: labelsFor(app) },
  spec: { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': app } } },
});

/**
 * The RFC 5019 cache tier in front of ocsp-responder (apps/ocsp-responder/README.md, "Cache tier"):
 * Varnish with apps/ocsp-responder/cache-tier/ocsp.vcl as a ConfigMap. A StatefulSet, so the
 * responder can name every node for its BANs (headless Service `ocsp-cache-nodes`); clients use
 * the Service `ocsp-cache`.
 */
function ocspCacheTier() {
  const name = 'ocsp-cache';
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'cache' };
  const vcl = readFileSync(path.join(ROOT, 'apps/ocsp-responder/cache-tier/ocsp.vcl'), 'utf8');
  return {
    'cache-configmap.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-vcl`, labels }, data: { 'default.vcl': vcl } },
    'cache-statefulset.yaml': {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, labels },
      spec: {
        serviceName: `${name}-nodes`,
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'varnish',
              image: 'varnish:7.1',
              imagePullPolicy: 'IfNotPresent',
              // Threads started up front (see bench/ocsp/varnish.ts varnishParams): a burst of connections never waits for the pool to grow.
              command: ['varnishd', '-F', '-f', '/etc/varnish/default.vcl', '-a', ':8080', '-s', 'malloc,256m', '-T', 'none', '-n', '/var/lib/varnish/ocsp', '-p', 'thread_pool_min=100', '-p', 'thread_pool_max=1000', '-p', 'workspace_client=32k'],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10 },
              resources: { requests: { cpu: '100m', memory: '320Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'vcl', mountPath: '/etc/varnish' },
                { name: 'work', mountPath: '/var/lib/varnish' },
              ],
            }],
            volumes: [
              { name: 'vcl', configMap: { name: `${name}-vcl` } },
              { name: 'work', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            ],
          },
        },
      },
    },
    'cache-service.yaml': [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, labels },
        spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${name}-nodes`, labels },
        spec: { clusterIP: 'None', selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] },
      },
    ],
  };
}

const platformConfig = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'darvazeh-platform', labels: { 'app.kubernetes.io/part-of': PART_OF } },
  data: {
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    // The cluster's Kafka (e.g. a Strimzi `darvazeh-kafka` cluster); overlays may change it.
    KAFKA_BROKERS: 'darvazeh-kafka-bootstrap:9092',
    KAFKA_TOPIC_PARTITIONS: '6',
    KAFKA_REPLICATION_FACTOR: '3',
    JWKS_URL: 'http://identity:3001/.well-known/jwks.json',
    JWT_ISSUER: 'http://identity:3001',
    JWT_AUDIENCE: 'darvazeh',
    MIGRATE_ON_START: 'true',
    OUTBOX_RELAY_ENABLED: 'true',
  },
};

const HEADER = '# Generated by k8s/generate.mjs — edit the generator, then run `node k8s/generate.mjs`.\n';
function write(rel, docs) {
  const file = path.join(K8S, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = (Array.isArray(docs) ? docs : [docs]).map((d) => yaml.dump(d, { lineWidth: 120, noRefs: true })).join('---\n');
  writeFileSync(file, HEADER + body);
}

function main() {
  const catalog = readCatalog();
  const appDirs = readdirSync(path.join(ROOT, 'apps')).filter((d) => statSync(path.join(ROOT, 'apps', d)).isDirectory());
  const missing = appDirs.filter((a) => !(a in catalog));
  if (missing.length) throw new Error(`apps not in SERVICE_CATALOG: ${missing.join(', ')}`);
  const apps = appDirs.sort();

  // Stale app folders (an app that was removed) must not linger in the base.
  if (existsSync(path.join(K8S, 'base'))) {
    for (const d of readdirSync(path.join(K8S, 'base'))) {
      const full = path.join(K8S, 'base', d);
      if (statSync(full).isDirectory() && !apps.includes(d)) rmSync(full, { recursive: true });
    }
  }

  for (const app of apps) {
    const port = catalog[app];
    const s = { ...DEFAULT_SETTINGS, ...APP_SETTINGS[app] };
    write(`base/${app}/deployment.yaml`, deployment(app, port, s));
    write(`base/${app}/service.yaml`, service(app, port));
    write(`base/${app}/configmap.yaml`, configMap(app, port, s));
    write(`base/${app}/hpa.yaml`, hpa(app));
    write(`base/${app}/pdb.yaml`, pdb(app));
    const extras = s.extras ? s.extras() : {};
    for (const [file, docs] of Object.entries(extras)) write(`base/${app}/${file}`, docs);
    write(`base/${app}/kustomization.yaml`, {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment.yaml', 'service.yaml', 'configmap.yaml', 'hpa.yaml', 'pdb.yaml', ...Object.keys(extras)],
    });
  }
  write('base/platform-configmap.yaml', platformConfig);
  write('base/kustomization.yaml', {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    labels: [{ pairs: { 'app.kubernetes.io/part-of': PART_OF }, includeSelectors: false }],
    resources: ['platform-configmap.yaml', ...apps],
  });

  const images = (tag) => apps.map((app) => ({ name: `${IMAGE_REPO}/${app}`, newTag: tag }));
  write('overlays/dev/kustomization.yaml', {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: 'darvazeh-dev',
    resources: ['../../base'],
    images: images('dev'),
    patches: [
      { target: { kind: 'Deployment' }, patch: yaml.dump([{ op: 'replace', path: '/spec/replicas', value: 1 }]) },
      {
        target: { kind: 'HorizontalPodAutoscaler' },
        patch: yaml.dump([
          { op: 'replace', path: '/spec/minReplicas', value: 1 },
          { op: 'replace', path: '/spec/maxReplicas', value: 2 },
        ]),
      },
      // One replica: a PDB demanding one available would block every node drain.
      {
        target: { kind: 'PodDisruptionBudget' },
        patch: yaml.dump([
          { op: 'remove', path: '/spec/minAvailable' },
          { op: 'add', path: '/spec/maxUnavailable', value: 1 },
        ]),
      },
      {
        target: { kind: 'ConfigMap', name: 'darvazeh-platform' },
        patch: yaml.dump([
          { op: 'replace', path: '/data/LOG_LEVEL', value: 'debug' },
          { op: 'replace', path: '/data/KAFKA_REPLICATION_FACTOR', value: '1' },
          { op: 'replace', path: '/data/KAFKA_TOPIC_PARTITIONS', value: '3' },
        ]),
      },
    ],
  });
  write('overlays/prod/kustomization.yaml', {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: 'darvazeh',
    resources: ['../../base'],
    // Release pipelines pin the tag: `kustomize edit set image ghcr.io/darvazeh/<app>:<version>`.
    images: images('0.1.0'),
    patches: [
      { target: { kind: 'Deployment' }, patch: yaml.dump([{ op: 'replace', path: '/spec/replicas', value: 3 }]) },
      {
        target: { kind: 'HorizontalPodAutoscaler' },
        patch: yaml.dump([
          { op: 'replace', path: '/spec/minReplicas', value: 3 },
          { op: 'replace', path: '/spec/maxReplicas', value: 12 },
        ]),
      },
      {
        target: { kind: 'Deployment' },
        patch: yaml.dump([
          { op: 'replace', path: '/spec/template/spec/containers/0/resources/requests', value: { cpu: '250m', memory: '384Mi' } },
        ]),
      },
    ],
  });
  process.stdout.write(`k8s manifests written for: ${apps.join(', ')}\n`);
}

main();
