import { centsValue, soakIndex, soakSymbol, type PricePath } from './price-path';
import type { ServedRequest } from './soak-upstream';

/** The ingest runs of one ingestor process, as the ledger needs them. */
export interface ProcessRuns {
  /** Its `X-RapidAPI-Key`. */
  key: string;
  /** `ingestor-a#2`. */
  name: string;
  /** When the soak read each of its run lines (epoch ms), in order. */
  runsAt: number[];
  /** Run ids its log lines named, in order, with when the first line of each was read. */
  runIds?: { at: number; runId: string }[];
  killed: boolean;
}

/** A history item as scanned from the table. */
export interface StoredItem {
  symbol: string;
  series: string | null;
  price: number;
  high: number | null;
  low: number | null;
  quoteTime: string;
  insertedAt: string;
}

export interface LatestAnswer {
  symbol: string;
  /** `null` when the API answered 404. */
  quote: { price: number; high: number | null; low: number | null; quoteTime: string } | null;
}

export interface LedgerInput {
  requests: ServedRequest[];
  ingestors: ProcessRuns[];
  path: PricePath;
  tickSeconds: number;
  history: StoredItem[];
  /** What `GET /quotes/:symbol` answered for every instrument. */
  latest: LatestAnswer[];
}

/** A served tick whose every answer went to a run that was killed before it reported. */
export interface KilledRun {
  process: string;
  /** The run's id when one of its log lines named it before the kill (e.g. a publishing error); else `null`. */
  runId: string | null;
  /** The run's upstream answer (ISO). */
  answeredAt: string;
  /** Quotes of that answer that are not stored. */
  missing: number;
}

export interface Ledger {
  /** Quotes the upstream served in 200 JSON answers (distinct instrument × tick). */
  served: number;
  /** Served quotes that went to at least one run that reported (so had published them). */
  published: number;
  /** History items of the soak's instruments in the table. */
  stored: number;
  /** Published quotes not stored. */
  lost: number;
  /** Quotes stored under more than one key (the table's key makes a second item under one key impossible). */
  doubled: number;
  /** Stored items the upstream never served (unknown instrument, tick or series). */
  invented: number;
  /** Stored items of a served quote whose price, high or low differ from what was served. */
  mismatched: number;
  /** Served quotes that only went to runs killed before they reported, and are not stored. */
  lostToKilledRuns: number;
  killedRuns: KilledRun[];
  /** Instruments whose `GET /quotes/:symbol` is not their newest stored quote. */
  latestWrong: string[];
  /** Upstream answer → stored `insertedAt`, per stored published quote (ms). */
  lagsMs: Float64Array;
  /** A few examples of each kind of discrepancy, for a person to look at. */
  examples: string[];
}

/**
 * The soak's ledger: compares what the upstream served (every request, with the tick its quotes
 * came from) and which runs reported, with what the table holds and what the API answers.
 */
export function reconcile(input: LedgerInput): Ledger {
  const { requests, ingestors, path, tickSeconds, history, latest } = input;
  const byKey = new Map(ingestors.map((p) => [p.key, p]));
  const ticks = new Map<number, { published: boolean; firstAt: number; killed: Map<string, { at: number; runId: string | null }> }>();
  for (const r of requests) {
    if (r.tick === null || r.status !== 200) continue;
    const entry = ticks.get(r.tick) ?? { published: false, firstAt: r.at, killed: new Map<string, { at: number; runId: string | null }>() };
    entry.firstAt = Math.min(entry.firstAt, r.at);
    const proc = byKey.get(r.client);
    const reportedRun = proc ? proc.runsAt.findIndex((at) => at >= r.at) : -1;
    // a run that never reported counts as killed only when the injector killed its process;
    // anything else (a process stopped gracefully, an unknown client) must have published
    if (proc && reportedRun < 0 && proc.killed) entry.killed.set(proc.name, { at: r.at, runId: proc.runIds?.find((l) => l.at >= r.at)?.runId ?? null });
    else entry.published = true;
    ticks.set(r.tick, entry);
  }

  const instruments = path.instruments;
  const examples: string[] = [];
  const example = (text: string) => examples.length < 20 && examples.push(text);
  const storedKeys = new Set<string>();
  const perQuote = new Map<string, number>();
  const newest = new Map<string, StoredItem>();
  let invented = 0;
  let mismatched = 0;
  const lags: number[] = [];
  for (const item of history) {
    const index = soakIndex(item.symbol);
    const time = Date.parse(item.quoteTime);
    const tick = time / 1000 / tickSeconds;
    const servedTick = Number.isInteger(tick) ? ticks.get(tick) : undefined;
    const quote = index === null || !servedTick ? null : path.quote(tick, index);
    const quoteKey = `${item.symbol}|${item.quoteTime}`;
    perQuote.set(quoteKey, (perQuote.get(quoteKey) ?? 0) + 1);
    if (!quote || item.series !== 'EQ') {
      invented++;
      example(`invented: ${item.symbol} ${item.series} ${item.quoteTime}`);
      continue;
    }
    if (item.price !== centsValue(quote.priceCents) || item.high !== centsValue(quote.highCents) || item.low !== centsValue(quote.lowCents)) {
      mismatched++;
      example(`mismatched: ${item.symbol} ${item.quoteTime} stored ${item.price}/${item.high}/${item.low}`);
    }
    storedKeys.add(`${index}|${tick}`);
    if (servedTick!.published) lags.push(Date.parse(item.insertedAt) - servedTick!.firstAt);
    const current = newest.get(item.symbol);
    if (!current || current.quoteTime < item.quoteTime) newest.set(item.symbol, item);
  }
  const doubled = [...perQuote.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

  let served = 0;
  let published = 0;
  let lost = 0;
  let lostToKilledRuns = 0;
  const killedRuns = new Map<string, KilledRun>();
  for (const [tick, entry] of ticks) {
    served += instruments;
    if (entry.published) published += instruments;
    for (let index = 0; index < instruments; index++) {
      if (storedKeys.has(`${index}|${tick}`)) continue;
      if (entry.published) {
        lost++;
        example(`lost: ${soakSymbol(index)} ${new Date(tick * tickSeconds * 1000).toISOString()}`);
        continue;
      }
      lostToKilledRuns++;
      for (const [process, { at, runId }] of entry.killed) {
        const id = `${process}@${at}`;
        const run = killedRuns.get(id) ?? { process, runId, answeredAt: new Date(at).toISOString(), missing: 0 };
        run.missing++;
        killedRuns.set(id, run);
      }
    }
  }

  const latestWrong: string[] = [];
  for (const answer of latest) {
    const want = newest.get(answer.symbol);
    const got = answer.quote;
    const same = want && got && got.quoteTime === want.quoteTime && got.price === want.price && got.high === want.high && got.low === want.low;
    if (!same && (want || got)) {
      latestWrong.push(answer.symbol);
      example(`latest: ${answer.symbol} answers ${got?.quoteTime ?? 'nothing'}, newest stored ${want?.quoteTime ?? 'nothing'}`);
    }
  }

  return {
    served,
    published,
    stored: history.length,
    lost,
    doubled,
    invented,
    mismatched,
    lostToKilledRuns,
    killedRuns: [...killedRuns.values()],
    latestWrong,
    lagsMs: Float64Array.from(lags).sort(),
    examples,
  };
}

/** The p-th percentile (0..100) of sorted values, nearest rank; `null` for none. */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
