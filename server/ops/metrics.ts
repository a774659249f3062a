import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PoolUsage } from "../db/pool-usage.ts";

interface RouteSeries {
  duration: ReturnType<Histogram["labels"]>;
  count: ReturnType<Counter["labels"]>;
}

export interface MetricsOptions {
  /**
   * Scrapes closer together than this share one rendering, and so one pool query: a scrape flood costs
   * sending a string, not a pg_stat_activity query and a full rendering each. Far below any scrape interval.
   */
  minRenderIntervalMs?: number;
  now?: () => number;
}

/** The API's Prometheus figures: HTTP traffic by route template, requests in flight, DB pool use. */
export class Metrics {
  readonly registry = new Registry();
  inFlight = 0;
  readonly #minRenderIntervalMs: number;
  readonly #now: () => number;
  #rendered: { at: number; text: Promise<string> } | undefined;
  readonly #duration: Histogram;
  readonly #count: Counter;
  // Label lookups hash their values on every call; resolved series are kept per method+route+status.
  readonly #series = new Map<string, RouteSeries>();

  constructor(pool: PoolUsage, poolMax: number, options: MetricsOptions = {}) {
    this.#minRenderIntervalMs = options.minRenderIntervalMs ?? 1000;
    this.#now = options.now ?? (() => performance.now());
    collectDefaultMetrics({ register: this.registry });
    this.#duration = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by method, route template and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.#count = new Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    const metrics = this;
    new Gauge({
      name: "http_requests_in_flight",
      help: "HTTP requests being served",
      registers: [this.registry],
      collect() {
        this.set(metrics.inFlight);
      },
    });
    new Gauge({
      name: "db_pool_connections",
      help: "Database pool connections by state (active, idle, waiting = queries queued for one)",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const usage = await pool.connections().catch(() => undefined);
        if (!usage) return;
        this.set({ state: "active" }, usage.active);
        this.set({ state: "idle" }, usage.idle);
        this.set({ state: "waiting" }, usage.waiting);
      },
    });
    new Gauge({ name: "db_pool_max", help: "Database pool size limit", registers: [this.registry] }).set(
      poolMax,
    );
  }

  /** The exposition text, rendered at most once per minRenderIntervalMs (a failed rendering is not kept). */
  render(): Promise<string> {
    const now = this.#now();
    if (this.#rendered && now - this.#rendered.at < this.#minRenderIntervalMs) return this.#rendered.text;
    const text = this.registry.metrics();
    const rendered = { at: now, text };
    this.#rendered = rendered;
    text.catch(() => {
      if (this.#rendered === rendered) this.#rendered = undefined;
    });
    return text;
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.#series.get(key);
    if (!series) {
      const labels = { method, route, status: String(status) };
      series = { duration: this.#duration.labels(labels), count: this.#count.labels(labels) };
      this.#series.set(key, series);
    }
    series.duration.observe(seconds);
    series.count.inc();
  }
}
