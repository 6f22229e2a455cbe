import { QueueDepths } from '@app/common';
import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BackfillService } from '../backfill/backfill.service';
import { CoverageSummary } from '../coverage/coverage-summary';
import { IngestSchedule } from '../ingest/ingest.scheduler';
import { RunHistory } from '../ingest/run-history';
import { QualityMonitor } from '../quality/quality-monitor';

@ApiTags('pipeline')
@Controller('status')
export class StatusController {
  private readonly logger = new Logger(StatusController.name);

  constructor(
    private readonly history: RunHistory,
    private readonly scheduler: IngestSchedule,
    @Inject(QueueDepths) private readonly depths: QueueDepths,
    private readonly coverage: CoverageSummary,
    private readonly backfill: BackfillService,
    private readonly quality: QualityMonitor,
  ) {}

  /** Last/next run, last outcome and errors, upstream quota, queue and DLQ depth, completeness of the last trading day. */
  @Get()
  @ApiOperation({ summary: 'Last/next run, recent runs with errors, providers (market state, pause, quota), queue and DLQ depth, coverage, backfill, cross-provider quality' })
  async status() {
    const coverage = this.coverage.overview().catch((err: Error) => {
      this.logger.warn(`coverage summary unavailable: ${err.name}: ${err.message}`);
      return { error: 'coverage summary unavailable (the table did not answer; see the ingestor log)' };
    });
    const depth = await this.depths.both().catch((err: Error) => {
      // the SDK's error name stays in the log; the answer says only what is missing
      this.logger.warn(`queue depth unavailable: ${err.name}: ${err.message}`);
      return { error: 'queue depth unavailable (SQS did not answer; see the ingestor log)' };
    });
    const [history, backfill, quality] = await Promise.all([this.history.status(), this.backfill.status(), this.quality.report()]);
    return { ...history, nextRunAt: this.scheduler.nextRunAt(), ...depth, coverage: await coverage, backfill, quality };
  }
}
