import { InjectConfig, type QuoteflowConfig, type ReadinessCheck } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CLOCK, type Clock } from '../clock/clock';
import { RunHistory } from './run-history';
import { schedulePeriodMs } from './schedule-slot';

/**
 * Readiness of the ingest schedule: the last good run of any instance (`isGoodRun`, as the
 * shared table records it) is not older than `HEALTH_MAX_MISSED_RUNS` schedule
 * periods; after N periods of quota pauses, a rejected key or a failing upstream the ingestor
 * reports not ready.
 */
@Injectable()
export class IngestFreshness implements ReadinessCheck {
  private readonly startedAt: number;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly history: RunHistory,
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.startedAt = this.now().getTime();
  }

  async check() {
    const indicator = this.health.check('ingest');
    const period = this.config.ingest.cron ? schedulePeriodMs(this.config.ingest.cron, this.now()) : null;
    // no schedule in this process (INGEST_CRON=off, or Lambda where EventBridge calls the ingest export)
    if (period === null) return indicator.up({ schedule: 'not kept by this process' });
    const maxAgeMs = period * this.config.health.maxMissedRuns;
    const now = this.now().getTime();
    const good = await this.history.lastGood();
    const lastGoodAt = good ? Date.parse(good.at) : null;
    const details = { maxAgeSeconds: maxAgeMs / 1000, lastGoodRunAt: good?.at ?? null };
    if (lastGoodAt !== null && now - lastGoodAt <= maxAgeMs) return indicator.up({ ...details, lastGood: good!.how });
    // a new process gets the same time to complete its first good run
    if (lastGoodAt === null && now - this.startedAt <= maxAgeMs) return indicator.up({ ...details, note: 'starting: no good run yet' });
    return indicator.down({ ...details, message: `no good ingest run in the last ${this.config.health.maxMissedRuns} schedule periods (see GET /status)` });
  }
}
