import type { GsbDirectory } from '../../gsb/application/gsb-directory.js';
import type { ServiceCard } from './service-cards.js';
import type { TrafficStats, MinutePoint, WindowFigures } from './traffic-stats.js';
import type { AppState, Incident, UpstreamPoller } from './upstream-poller.js';

export interface AppStatus extends WindowFigures {
  name: string;
  state: AppState;
  since: string;
  checkedAt: string | null;
  consumerLag: number | null;
  outboxBacklog: number | null;
  availability: number | null;
  lastHour: MinutePoint[];
}

export interface RankingRow {
  kind: 'app' | 'gsb-service';
  name: string;
  /** Providing agency for GSB services. */
  agency: string | null;
  availability: number | null;
  p95: number | null;
  errorRate: number;
  requests: number;
}

/** A providing agency of GSB services, ranked over all calls to its services in the window. */
export interface ProviderRankingRow {
  agency: string;
  services: string[];
  /** Share of forwarded calls its services answered without failing (null: no calls). */
  availability: number | null;
  p95: number | null;
  errorRate: number;
  requests: number;
}

export interface CardStatus extends ServiceCard {
  measured: {
    state: AppState;
    requestsLastHour: number;
    /** Requests per day at the rate of the chosen window. */
    requestsPerDayAtCurrentRate: number;
    successRate: number | null;
    medianMs: number | null;
  };
}

export interface StatusSnapshot {
  generatedAt: string;
  refreshMs: number;
  windowMinutes: number;
  apps: AppStatus[];
  incidents: Incident[];
  cards: CardStatus[];
  ranking: RankingRow[];
  providerRanking: ProviderRankingRow[];
}

export const RANKING_WINDOWS = [5, 15, 60] as const;

/** Everything the status page shows, from the poller (health, lag, backlog) and the gateway's own traffic figures. */
export class StatusSnapshotBuilder {
  constructor(
    private readonly poller: UpstreamPoller,
    private readonly stats: TrafficStats,
    private readonly cards: readonly ServiceCard[],
    private readonly directory: GsbDirectory,
  ) {}

  build(windowMinutes: number): StatusSnapshot {
    const apps: AppStatus[] = this.poller.apps().map((h) => ({
      name: h.name,
      state: h.state,
      since: h.since.toISOString(),
      checkedAt: h.checkedAt?.toISOString() ?? null,
      consumerLag: h.consumerLag,
      outboxBacklog: h.outboxBacklog,
      availability: this.poller.availability(h.name, windowMinutes),
      ...this.stats.figures(h.name, windowMinutes),
      lastHour: this.stats.points(h.name),
    }));
    const byName = new Map(apps.map((a) => [a.name, a]));
    const ranking: RankingRow[] = [
      ...apps.map((a) => ({ kind: 'app' as const, name: a.name, agency: null, availability: a.availability, p95: a.p95, errorRate: a.errorRate, requests: a.requests })),
      ...this.directory.allServices().map((s) => {
        const f = this.stats.figures(`gsb:${s.serviceCode}`, windowMinutes);
        return { kind: 'gsb-service' as const, name: s.serviceCode, agency: s.providerAgencyId, availability: f.requests === 0 ? null : 1 - f.errorRate, p95: f.p95, errorRate: f.errorRate, requests: f.requests };
      }),
    ];
    const servicesByProvider = new Map<string, string[]>();
    for (const s of this.directory.allServices()) {
      if (s.status === 'RETIRED') continue;
      servicesByProvider.set(s.providerAgencyId, [...(servicesByProvider.get(s.providerAgencyId) ?? []), s.serviceCode]);
    }
    const providerRanking: ProviderRankingRow[] = [...servicesByProvider].map(([agency, codes]) => {
      const f = this.stats.figuresOf(
        codes.map((c) => `gsb:${c}`),
        windowMinutes,
      );
      return { agency, services: codes.sort(), availability: f.requests === 0 ? null : 1 - f.errorRate, p95: f.p95, errorRate: f.errorRate, requests: f.requests };
    });
    const cards: CardStatus[] = this.cards.map((c) => {
      const app = byName.get(c.measure);
      const hour = this.stats.figures(c.measure, 60);
      const win = this.stats.figures(c.measure, windowMinutes);
      return {
        ...c,
        measured: {
          state: app?.state ?? 'unknown',
          requestsLastHour: hour.requests,
          requestsPerDayAtCurrentRate: Math.round(win.requestsPerSecond * 86_400),
          successRate: win.requests === 0 ? null : 1 - win.errorRate,
          medianMs: win.p50,
        },
      };
    });
    return {
      generatedAt: new Date().toISOString(),
      refreshMs: this.poller.intervalMs,
      windowMinutes,
      apps,
      incidents: this.poller.recentIncidents().slice(0, 50),
      cards,
      ranking,
      providerRanking,
    };
  }
}
