import { BadGatewayException, ConflictException, Controller, HttpCode, HttpException, HttpStatus, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminKeyGuard } from '../security/admin-key.guard';
import { IngestCoordinator, isRunRefused } from './ingest-coordinator';
import { ProviderSelection } from './provider-selection';
import type { RunSummary } from './run-summary';

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(
    private readonly selection: ProviderSelection,
    private readonly coordinator: IngestCoordinator,
  ) {}

  /**
   * One ingest run now, the same code path as the cron; answers once the quotes are published.
   * 409 while a run is in progress on any instance, 429 when the upstream quota is exhausted, 502 when no provider answered.
   */
  @Post('trigger')
  @ApiOperation({ summary: 'One ingest run now; 409 while one runs, 429 while the upstream quota is exhausted, 502 when no upstream answered' })
  @ApiSecurity('admin')
  @HttpCode(200)
  @UseGuards(AdminKeyGuard)
  async trigger(@Res({ passthrough: true }) res: Response): Promise<RunSummary> {
    const summary = await this.coordinator.run('manual').catch((err: unknown) => {
      throw isRunRefused(err) ? new ConflictException(err.message) : err;
    });
    if (summary.outcome !== 'failed' && summary.outcome !== 'skipped') return summary;
    const message = [...summary.errors.map((e) => e.message), ...summary.skipped.map((s) => `${s.provider}: ${s.reason}`)].join('; ');
    const upstream = summary.errors.filter((e) => e.provider !== 'queue');
    // a manual run skips a provider only while its quota pause lasts
    if (upstream.every((e) => e.failure === 'quota') && (upstream.length > 0 || summary.skipped.length > 0)) {
      const reset = await this.selection.retryAfterSeconds();
      if (reset !== null) res.setHeader('Retry-After', String(reset));
      throw new HttpException({ message, run: summary }, HttpStatus.TOO_MANY_REQUESTS);
    }
    throw new BadGatewayException({ message, run: summary });
  }
}
