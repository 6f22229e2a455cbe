import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { IngestCoordinator, isRunRefused } from './ingest-coordinator';
import type { RunTrigger } from './run-summary';
import { scheduleSlot } from './schedule-slot';

const JOB = 'ingest';

/** Whoever keeps the ingest schedule; `GET /status` asks it when the next run is due. */
export abstract class IngestSchedule {
  abstract nextRunAt(): string | null;
}

/** Lambda: an EventBridge rule outside the process calls the `ingest` export, so nothing runs here. */
@Injectable()
export class ExternalIngestSchedule extends IngestSchedule {
  nextRunAt(): null {
    return null;
  }
}

/** Calls the ingest service on `INGEST_CRON` (and once at start-up unless `INGEST_ON_START=false`). */
@Injectable()
export class IngestScheduler extends IngestSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(IngestScheduler.name);

  constructor(
    private readonly coordinator: IngestCoordinator,
    private readonly registry: SchedulerRegistry,
    @InjectConfig() private readonly config: QuoteflowConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    const { cron, onStart } = this.config.ingest;
    if (cron) {
      // registered with the SchedulerRegistry, so @nestjs/schedule stops it on shutdown
      this.registry.addCronJob(JOB, CronJob.from({ cronTime: cron, onTick: () => this.tick('cron'), start: true }));
      this.logger.log(`ingest scheduled "${cron}", next run ${this.nextRunAt()}`);
    } else {
      this.logger.log('ingest schedule is off (INGEST_CRON=off); POST /ingest/trigger still works');
    }
    if (onStart) void this.tick('startup');
  }

  nextRunAt(): string | null {
    if (!this.registry.doesExist('cron', JOB)) return null;
    return this.registry.getCronJob(JOB).nextDate().toUTC().toISO();
  }

  private async tick(trigger: RunTrigger): Promise<void> {
    try {
      // the slot, not the moment the timer fired, identifies the tick on every instance
      const slot = this.config.ingest.cron ? scheduleSlot(this.config.ingest.cron, new Date()) : null;
      await this.coordinator.run(trigger, slot);
    } catch (err) {
      // with several instances most ticks are run by another one: not a warning
      if (isRunRefused(err)) this.logger.log(`${trigger} run skipped: ${err.message}`);
      else this.logger.error(`${trigger} run failed: ${(err as Error).stack ?? String(err)}`);
    }
  }
}
