import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { QuotesService } from '../quotes/quotes.service';
import { CoverageService, type CoverageReport, type Instrument, type RunCache } from './coverage.service';

/** The summary is computed at most this often; `/status` and `/metrics` read the last one in between. */
export const SUMMARY_REFRESH_MS = 5 * 60_000;
/** Instruments judged per summary (the first by symbol), so one pass stays a bounded number of queries. */
export const SUMMARY_MAX_INSTRUMENTS = 500;
/** Instruments named in `/status`: the least covered. */
const LISTED = 20;
/** Instruments judged at a time (two queries each, the day's runs shared). */
const CONCURRENCY = 4;

/** One instrument's line in the summary. */
export interface InstrumentCoverage {
  symbol: string;
  series: string | null;
  date: string;
  expected: number;
  covered: number;
  unchanged: number;
  ratio: number | null;
  gaps: number;
  missing: number;
}

/** `/status` `coverage`: the last trading day of every stored instrument, in short. */
export interface CoverageOverview {
  computedAt: string;
  refreshEveryMinutes: number;
  instruments: number;
  /** Instruments beyond {@link SUMMARY_MAX_INSTRUMENTS}, not judged. */
  notJudged: number;
  expected: number;
  covered: number;
  ratio: number | null;
  /** The least covered instruments with gaps, worst first (at most 20). */
  incomplete: InstrumentCoverage[];
}

/**
 * The completeness of every stored instrument's last trading day, recomputed at most once per
 * {@link SUMMARY_REFRESH_MS}: the first reader waits for it, later ones get the last summary while
 * a fresh one is computed (one pass at a time).
 */
@Injectable()
export class CoverageSummary {
  private readonly logger = new Logger(CoverageSummary.name);
  private readonly now: Clock;
  private last: { at: number; overview: CoverageOverview; lines: InstrumentCoverage[] } | null = null;
  private pending: Promise<NonNullable<CoverageSummary['last']>> | null = null;

  constructor(
    private readonly coverage: CoverageService,
    private readonly quotes: QuotesService,
    @Inject(CLOCK) now: Clock,
  ) {
    this.now = now;
  }

  async overview(): Promise<CoverageOverview> {
    return (await this.current()).overview;
  }

  /** Every judged instrument's line (for the metric). */
  async lines(): Promise<InstrumentCoverage[]> {
    return (await this.current()).lines;
  }

  private async current(): Promise<NonNullable<CoverageSummary['last']>> {
    if (this.last && this.now().getTime() - this.last.at < SUMMARY_REFRESH_MS) return this.last;
    const refresh = (this.pending ??= this.compute().finally(() => (this.pending = null)));
    if (!this.last) return refresh;
    refresh.catch((err: Error) => this.logger.warn(`coverage summary not refreshed: ${err.name}: ${err.message}`));
    return this.last;
  }

  private async compute(): Promise<NonNullable<CoverageSummary['last']>> {
    const at = this.now().getTime();
    const all = (await this.quotes.symbols()).map(({ symbol, series, source }): Instrument => ({ symbol, series, source }));
    const judged = all.slice(0, SUMMARY_MAX_INSTRUMENTS);
    const cache: RunCache = new Map();
    const reports: CoverageReport[] = [];
    for (let i = 0; i < judged.length; i += CONCURRENCY) {
      reports.push(...(await Promise.all(judged.slice(i, i + CONCURRENCY).map((instrument) => this.coverage.forInstrument(instrument, undefined, cache)))));
    }
    const lines = reports.map(lineOf);
    const expected = sum(lines.map((l) => l.expected));
    const covered = sum(lines.map((l) => l.covered));
    const incomplete = lines.filter((l) => l.gaps > 0).sort((a, b) => (a.ratio ?? 1) - (b.ratio ?? 1) || a.symbol.localeCompare(b.symbol));
    const overview: CoverageOverview = {
      computedAt: new Date(at).toISOString(),
      refreshEveryMinutes: SUMMARY_REFRESH_MS / 60_000,
      instruments: all.length,
      notJudged: all.length - judged.length,
      expected,
      covered,
      ratio: expected ? Math.round((covered / expected) * 10_000) / 10_000 : null,
      incomplete: incomplete.slice(0, LISTED),
    };
    this.last = { at, overview, lines };
    return this.last;
  }
}

function lineOf(r: CoverageReport): InstrumentCoverage {
  const { symbol, series, date, expected, covered, unchanged, ratio, gaps } = r;
  return { symbol, series, date, expected, covered, unchanged, ratio, gaps: gaps.length, missing: expected - covered };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
