import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { CoverageSummary } from './coverage-summary';

/** `quoteflow_coverage_ratio{symbol,series}`: the share of expected minutes covered on each instrument's last trading day. */
@Injectable()
export class CoverageMetrics {
  constructor(registry: Registry, summary: CoverageSummary) {
    const logger = new Logger(CoverageMetrics.name);
    new Gauge({
      name: 'quoteflow_coverage_ratio',
      help: 'Share of the expected minutes (schedule x calendar sessions) of the last trading day with a stored or unchanged quote, per instrument (refreshed at most every 5 minutes)',
      labelNames: ['symbol', 'series'],
      registers: [registry],
      // read at scrape time from the summary /status shows; an unreadable table leaves the series out
      async collect() {
        const lines = await summary.lines().catch((err: Error) => {
          logger.warn(`coverage metric not updated: ${err.name}: ${err.message}`);
          return [];
        });
        this.reset();
        for (const line of lines) if (line.ratio !== null) this.set({ symbol: line.symbol, series: line.series ?? '-' }, line.ratio);
      },
    });
  }
}
