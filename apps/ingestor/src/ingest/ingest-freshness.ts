import { InjectConfig, type QuoteflowConfig, type ReadinessCheck } from '@app/common';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CronTime } from 'cron';
import { CLOCK, type RunSummary } from './ingest.service';

/**
 * Readiness of the ingest schedule: the last good run (or a slot another instance ran) is not older
 * than `HEALTH_MAX_MISSED_RUNS` schedule periods. A good run published quotes (`ok`, `partial`) or
 * had nothing to do because every market was closed; a quota pause, a rejected key or a failing
 * upstream is not good, and after N periods of it the ingestor reports not ready.
 */
@Injectable()
export class IngestFreshness implements ReadinessCheck {
  private readonly startedAt: number;
  private lastGoodAt: number | null = null;
  private lastGoodHow = '';
  private readonly now: () => Date;

  constructor(
    private readonly health: HealthIndicatorService,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Optional() @Inject(CLOCK) now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
    this.startedAt = this.now().getTime();
  }

  ran(summary: RunSummary): void {
    const good =
      summary.outcome === 'ok' || summary.outcome === 'partial' || (summary.outcome === 'skipped' && summary.skipped.every((s) => s.cause === 'market_closed'));
    if (good) this.markGood(`run ${summary.runId} (${summary.outcome})`);
  }

  /** Another instance holds the lease for this slot: the schedule is being served. */
  ranElsewhere(): void {
    this.markGood('slot run by another instance');
  }

  check() {
    const indicator = this.health.check('ingest');
    const period = this.config.ingest.cron ? schedulePeriodMs(this.config.ingest.cron) : null;
    // no schedule in this process (INGEST_CRON=off, or Lambda where EventBridge calls the ingest export)
    if (period === null) return indicator.up({ schedule: 'not kept by this process' });
    const maxAgeMs = period * this.config.health.maxMissedRuns;
    const now = this.now().getTime();
    const details = { maxAgeSeconds: maxAgeMs / 1000, lastGoodRunAt: this.lastGoodAt === null ? null : new Date(this.lastGoodAt).toISOString() };
    if (this.lastGoodAt !== null && now - this.lastGoodAt <= maxAgeMs) return indicator.up({ ...details, lastGood: this.lastGoodHow });
    // a new process gets the same time to complete its first good run
    if (this.lastGoodAt === null && now - this.startedAt <= maxAgeMs) return indicator.up({ ...details, note: 'starting: no good run yet' });
    return indicator.down({ ...details, message: `no good ingest run in the last ${this.config.health.maxMissedRuns} schedule periods (see GET /status)` });
  }

  private markGood(how: string): void {
    this.lastGoodAt = this.now().getTime();
    this.lastGoodHow = how;
  }
}

/** Time between the next two firings of a cron expression (an irregular schedule: its next gap). */
export function schedulePeriodMs(cron: string): number {
  const time = new CronTime(cron);
  const first = time.getNextDateFrom(new Date());
  return time.getNextDateFrom(first.toJSDate()).toMillis() - first.toMillis();
}
