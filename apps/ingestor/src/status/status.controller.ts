import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IngestSchedule } from '../ingest/ingest.scheduler';
import { IngestService } from '../ingest/ingest.service';
import { QuoteQueue } from '../ingest/quote-queue';

@ApiTags('pipeline')
@Controller('status')
export class StatusController {
  constructor(
    private readonly ingest: IngestService,
    private readonly scheduler: IngestSchedule,
    private readonly queue: QuoteQueue,
  ) {}

  /** Last/next run, last outcome and errors, upstream quota, queue and DLQ depth. */
  @Get()
  @ApiOperation({ summary: 'Last/next run, recent runs with errors, providers (market hours, pause, quota), queue and DLQ depth' })
  async status() {
    const depth = await this.queue.depth().catch((err: Error) => ({ error: `queue depth unavailable: ${err.name}` }));
    return { ...this.ingest.state(), nextRunAt: this.scheduler.nextRunAt(), ...depth };
  }
}
