import { BadGatewayException, ConflictException, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { AdminKeyGuard } from './admin-key.guard';
import { IngestService, RunInProgressError, type RunSummary } from './ingest.service';

@Controller('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  /** One ingest run now, the same code path as the cron; answers once the quotes are published. */
  @Post('trigger')
  @HttpCode(200)
  @UseGuards(AdminKeyGuard)
  async trigger(): Promise<RunSummary> {
    const summary = await this.ingest.run('manual').catch((err: unknown) => {
      throw err instanceof RunInProgressError ? new ConflictException(err.message) : err;
    });
    if (summary.outcome === 'failed') {
      throw new BadGatewayException({ message: summary.errors.map((e) => e.message).join('; '), run: summary });
    }
    return summary;
  }
}
