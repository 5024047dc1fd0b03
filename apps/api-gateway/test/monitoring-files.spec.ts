import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

// The Grafana dashboard and alert rules must name series the gateway and the services export.
const dashboard = JSON.parse(readFileSync('k8s/monitoring/grafana-dashboard.json', 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
const rules = load(readFileSync('k8s/monitoring/prometheus-rules.yaml', 'utf8')) as { kind: string; spec: { groups: { rules: { alert: string; expr: string }[] }[] } };
const exported = ['gateway_upstream_requests_total', 'gateway_upstream_duration_seconds_bucket', 'gateway_refused_total', 'gsb_exchanges_total', 'gsb_consumer_exchanges_total', 'gsb_exchange_log_pending', 'gsb_exchange_log_chain_ok', 'consumer_lag', 'outbox_backlog', 'dead_letters_total', 'up'];

describe('k8s/monitoring', () => {
  it('the dashboard has the status page’s panels, each on exported series', () => {
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const word of ['Requests/s', 'Error rate', 'p95', 'consumer lag', 'Outbox backlog', 'GSB']) expect(titles).toContain(word);
    for (const p of dashboard.panels) for (const t of p.targets) expect(exported.some((m) => t.expr.includes(m))).toBe(true);
  });

  it('alerts on upstream down, error rate, consumer lag, outbox backlog and a broken exchange-log chain', () => {
    expect(rules.kind).toBe('PrometheusRule');
    const alerts = rules.spec.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining(['DarvazehUpstreamDown', 'DarvazehUpstreamErrorRate', 'DarvazehConsumerLag', 'DarvazehOutboxBacklog', 'DarvazehExchangeLogChainBroken']),
    );
    for (const a of alerts) expect(exported.some((m) => a.expr.includes(m))).toBe(true);
  });
});
