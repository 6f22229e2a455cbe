import { BadGatewayException, ConflictException, Controller, HttpCode, HttpException, HttpStatus, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AdminKeyGuard } from './admin-key.guard';
import { IngestCoordinator, isRunRefused } from './ingest-coordinator';
import { IngestService, type RunSummary } from './ingest.service';

@Controller('ingest')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly coordinator: IngestCoordinator,
  ) {}

  /**
   * One ingest run now, the same code path as the cron; answers once the quotes are published.
   * 409 while a run is in progress on any instance, 429 when the upstream quota is exhausted, 502 when no provider answered.
   */
  @Post('trigger')
  @HttpCode(200)
  @UseGuards(AdminKeyGuard)
  async trigger(@Res({ passthrough: true }) res: Response): Promise<RunSummary> {
    const summary = await this.coordinator.run('manual').catch((err: unknown) => {
      throw isRunRefused(err) ? new ConflictException(err.message) : err;
    });
    if (summary.outcome !== 'failed') return summary;
    const message = summary.errors.map((e) => e.message).join('; ');
    const upstream = summary.errors.filter((e) => e.provider !== 'queue');
    if (upstream.length && upstream.every((e) => e.failure === 'quota')) {
      const reset = this.ingest.retryAfterSeconds();
      if (reset !== null) res.setHeader('Retry-After', String(reset));
      throw new HttpException({ message, run: summary }, HttpStatus.TOO_MANY_REQUESTS);
    }
    throw new BadGatewayException({ message, run: summary });
  }
}
