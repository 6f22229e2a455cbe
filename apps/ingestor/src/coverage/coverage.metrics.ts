import { CloudWatchMetrics } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { CoverageSummary } from './coverage-summary';

/**
 * `quoteflow_coverage_ratio{symbol,series}`: the share of expected minutes covered on each
 * instrument's last trading day; for CloudWatch the lowest of them (`CoverageMin`), refreshed with
 * each timed flush (every minute in a container; the Lambda entry points stop the timer, as the
 * schedule function may not read quotes).
 */
@Injectable()
export class CoverageMetrics {
  constructor(registry: Registry, summary: CoverageSummary, cloudWatch?: CloudWatchMetrics) {
    const logger = new Logger(CoverageMetrics.name);
    cloudWatch?.onTimedFlush(async () => {
      const lines = await summary.lines().catch((err: Error) => {
        logger.warn(`coverage figure not updated: ${err.name}: ${err.message}`);
        return [];
      });
      const ratios = lines.flatMap((l) => (l.ratio === null ? [] : [l.ratio]));
      if (ratios.length) cloudWatch.gauge('CoverageMin', Math.min(...ratios));
    });
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
