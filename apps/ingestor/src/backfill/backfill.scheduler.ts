import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { BackfillInProgressError, BackfillService, type BackfillTrigger } from './backfill.service';

const JOB = 'backfill';

/**
 * Container builds: a backfill pass at start-up (for the time the ingestor was down,
 * `BACKFILL_ON_START`) and on `BACKFILL_CRON` (older gaps, what the budget left over), when a
 * configured provider has a history endpoint.
 */
@Injectable()
export class BackfillScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(BackfillScheduler.name);

  constructor(
    private readonly backfill: BackfillService,
    private readonly registry: SchedulerRegistry,
    @InjectConfig() private readonly config: QuoteflowConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.backfill.providers.length) return;
    const { cron, onStart } = this.config.backfill;
    if (cron) this.registry.addCronJob(JOB, CronJob.from({ cronTime: cron, onTick: () => this.pass('schedule'), start: true }));
    if (onStart) void this.pass('startup');
  }

  private async pass(trigger: BackfillTrigger): Promise<void> {
    try {
      await this.backfill.run({ trigger });
    } catch (err) {
      if (err instanceof BackfillInProgressError) this.logger.log(`${trigger} backfill skipped: ${err.message}`);
      else this.logger.error(`${trigger} backfill failed: ${(err as Error).stack ?? String(err)}`);
    }
  }
}
