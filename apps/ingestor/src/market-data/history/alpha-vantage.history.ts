import { upstreamNumber, type BarInterval, DAY_MS, MINUTE_MS } from '@app/common';
import { DateTime } from 'luxon';
import { throwOnAlphaVantageNotice } from '../alpha-vantage.notices';
import type { RapidApiClient } from '../rapidapi.client';
import { UpstreamError } from '../upstream.error';
import { BarCollector, HistorySource, type HistoryFetch, type Instrument } from './history-source';

const LOCAL_TIME = 'yyyy-MM-dd HH:mm:ss';
/** `compact` is the latest 100 bars: enough when the range starts less than 100 minutes ago. */
const COMPACT_REACH_MS = 100 * MINUTE_MS;

/**
 * Alpha Vantage `TIME_SERIES_INTRADAY` (1min bars), one call per symbol. Bars are keyed by their
 * start in the exchange's local time (`Meta Data` → `6. Time Zone`, `US/Eastern`), every value a
 * string; asked unadjusted and without extended hours, so they compare with live `GLOBAL_QUOTE`s.
 */
export class AlphaVantageHistory extends HistorySource {
  readonly provider = 'alpha-vantage' as const;
  readonly callsPerInstrument = 1;
  /** `outputsize=full` without `month` is the trailing 30 days. */
  readonly lookbackMs = 30 * DAY_MS;

  constructor(
    private readonly client: RapidApiClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  intervalFor(): BarInterval {
    return '1m';
  }

  async historyOf(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<HistoryFetch> {
    const now = this.now();
    const outputsize = now.getTime() - from.getTime() <= COMPACT_REACH_MS ? 'compact' : 'full';
    const { body, rateLimit } = await this.client.get(
      '/query',
      { function: 'TIME_SERIES_INTRADAY', symbol: instrument.symbol, interval: '1min', outputsize, adjusted: 'false', extended_hours: 'false', datatype: 'json' },
      signal,
    );
    throwOnAlphaVantageNotice(body, rateLimit);
    const collector = new BarCollector(instrument, this.provider, '1m', { from, to, now });
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof b['Error Message'] === 'string') {
      collector.reject('upstream_error');
      return collector.result(rateLimit);
    }
    const series = b['Time Series (1min)'];
    const zone = (b['Meta Data'] as Record<string, unknown> | undefined)?.['6. Time Zone'];
    if (typeof series !== 'object' || series === null || typeof zone !== 'string' || !DateTime.now().setZone(zone).isValid) {
      throw new UpstreamError(this.provider, 'bad_response', 'answer has no "Time Series (1min)" with a known "6. Time Zone"', { rateLimit });
    }
    for (const [local, row] of Object.entries(series as Record<string, unknown>)) {
      const start = barStart(local, zone);
      if (start === null) {
        collector.reject('invalid_bar_time');
        continue;
      }
      const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
      collector.add({ startMs: start, close: upstreamNumber(r['4. close']), high: upstreamNumber(r['2. high']), low: upstreamNumber(r['3. low']) });
    }
    return collector.result(rateLimit);
  }
}

/**
 * `2026-11-02 09:30:00` in `US/Eastern` → epoch milliseconds, with that day's offset (EDT or EST).
 * `null` for a local time that does not exist (the hour skipped in spring), one that names two
 * instants (the hour repeated in autumn: both lie outside every session, so guessing gains nothing)
 * and one that is not a whole minute.
 */
export function barStart(local: string, zone: string): number | null {
  const time = DateTime.fromFormat(local, LOCAL_TIME, { zone });
  if (!time.isValid || time.toFormat(LOCAL_TIME) !== local || time.second !== 0) return null;
  return time.getPossibleOffsets().length === 1 ? time.toMillis() : null;
}
