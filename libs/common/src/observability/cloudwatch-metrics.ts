import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/** The units quoteflow's CloudWatch figures use. */
export type FigureUnit = 'Count' | 'Seconds' | 'None';

const UNITS: Record<FigureUnit, (typeof MetricUnit)[keyof typeof MetricUnit]> = { Count: MetricUnit.Count, Seconds: MetricUnit.Seconds, None: MetricUnit.NoUnit };

/** How often a long-running process (a container) writes what it gathered; a Lambda handler flushes at the end of each invocation too. */
export const CLOUDWATCH_FLUSH_MS = 60_000;

/**
 * quoteflow's figures for CloudWatch, written as embedded-metric-format lines on stdout, which
 * CloudWatch Logs turns into metrics of the namespace (`CLOUDWATCH_METRICS_NAMESPACE`) with the
 * dimension `service` = the app. Fed by the same `*.metrics.ts` classes that update the Prometheus
 * series, so both worlds count the same events; without a namespace every call does nothing.
 *
 * The figures: counts and timings add values to the buffer, gauges keep their last value and are
 * written again with every flush (so an alarm sees them each period). Metric names are
 * `PascalCase` and listed in `docs/alerts.md`.
 */
@Injectable()
export class CloudWatchMetrics implements OnModuleDestroy {
  private readonly metrics: Metrics | null;
  private readonly gauges = new Map<string, { value: number; unit: FigureUnit }>();
  private readonly collectors: (() => Promise<void>)[] = [];
  private timer: NodeJS.Timeout | null;

  /** `namespace`: `null` = no CloudWatch figures (local runs, tests). `service`: the app's name. */
  constructor(
    namespace: string | null,
    readonly service: string,
    options: { flushEveryMs?: number | null } = {},
  ) {
    this.metrics = namespace ? new Metrics({ namespace, serviceName: service }) : null;
    const every = options.flushEveryMs === undefined ? CLOUDWATCH_FLUSH_MS : options.flushEveryMs;
    // unref: the timer never keeps a process (or a test) alive on its own
    this.timer = this.metrics && every ? setInterval(() => void this.timedFlush(), every).unref() : null;
  }

  /**
   * Lambda: the handlers flush at the end of each invocation, and a timer would only fire while a
   * container happens to be thawed, so the entry points stop it (timed collectors then never run).
   */
  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Whether figures are written at all. */
  get enabled(): boolean {
    return this.metrics !== null;
  }

  /** Adds `value` to the figure `name` (a count, or one observation of a timing). */
  add(name: string, value: number, unit: FigureUnit = 'Count'): void {
    this.metrics?.addMetric(name, UNITS[unit], value);
  }

  /** Sets the gauge `name`: written now and with every later flush, until set again. */
  gauge(name: string, value: number, unit: FigureUnit = 'None'): void {
    if (!this.metrics) return;
    this.gauges.set(name, { value, unit });
  }

  /** A figure with one extra dimension (e.g. `provider`), written at once as its own record. */
  addWithDimension(name: string, value: number, unit: FigureUnit, dimension: { name: string; value: string }): void {
    if (!this.metrics) return;
    const single = this.metrics.singleMetric();
    single.addDimension(dimension.name, dimension.value);
    single.addMetric(name, UNITS[unit], value);
  }

  /**
   * Runs `collect` before each timed flush: for figures only known on demand (e.g. coverage, read
   * from the table), as prom-client's `collect()` runs at scrape time. A collector that fails
   * leaves its figure as it was; it logs its own trouble.
   */
  onTimedFlush(collect: () => Promise<void>): void {
    if (this.metrics) this.collectors.push(collect);
  }

  /** What the timer does: the collectors, then {@link flush}. */
  async timedFlush(): Promise<void> {
    for (const collect of this.collectors) await collect().catch(() => undefined);
    this.flush();
  }

  /** Writes what has been gathered (one EMF line), with the gauges' current values. Nothing is written when nothing was gathered. */
  flush(): void {
    if (!this.metrics) return;
    for (const [name, { value, unit }] of this.gauges) this.metrics.addMetric(name, UNITS[unit], value);
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}
