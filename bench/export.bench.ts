import { createDocumentClient, parseConfig, type StoredQuote } from '@app/common';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportChunks } from '../apps/ingestor/src/quotes/quote-export';
import { QuoteReader } from '../apps/ingestor/src/quotes/quote-reader';
import { QuotesService, toInstant } from '../apps/ingestor/src/quotes/quotes.service';
import { higherIsBetter, lowerIsBetter, round, type Figure } from './figure';
import { BenchEnv, profiling, root } from './support/bench-env';
import { batchSeed, yearOfMinutes } from './support/year-of-minutes';

export interface ExportBenchOptions {
  /** Minute quotes of one symbol to seed and export. */
  rows: number;
}

/** About a year of NSE minute quotes: 250 sessions of 375 minutes. */
export const EXPORT_BENCH: ExportBenchOptions = { rows: 94_000 };

interface Run {
  rows: number;
  seconds: number;
  growthKiB: number;
  output: string;
}

/**
 * `npm run export` of a year of minute quotes to a file, as a child process: how much its resident
 * memory grows while it exports (it should stay flat: one page at a time) and rows per second,
 * against an export that reads the whole range into memory before writing it (same reader, same
 * formatter). Both measure their own RSS from just before the first read to the end; each runs
 * twice.
 */
export async function exportBench(options: ExportBenchOptions = EXPORT_BENCH): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'quoteflow-export-bench-'));
  try {
    return await BenchEnv.with(async (env) => {
      const res = await env.resources('export');
      try {
        const quotes = yearOfMinutes(options.rows);
        await batchSeed(res.dynamo, res.config.table.name, quotes);
        const range = ['--symbols', 'BENCHEXP', '--from', quotes[0].quoteTime, '--to', quotes[quotes.length - 1].quoteTime, '--format', 'csv'];
        const streamed = () => run(res.env, ['tools/export/export-cli.ts', ...range, '--memory-report'], join(dir, 'streamed.csv'));
        const inMemory = () => run(res.env, ['bench/export.bench.ts', IN_MEMORY, ...range], join(dir, 'in-memory.csv'));
        // ours, baseline, baseline, ours: neither side gets the emulator fresh from seeding only; a shared machine's noise is halved
        const runs = [await streamed(), await inMemory(), await inMemory(), await streamed()];
        if (runs.some((r) => r.rows !== options.rows)) throw new Error(`exported ${runs.map((r) => r.rows).join(' / ')} rows of ${options.rows}`);
        if (readFileSync(runs[0].output, 'utf8') !== readFileSync(runs[1].output, 'utf8')) throw new Error('the two exports differ');
        const ours = combine(runs[0], runs[3]);
        const baseline = combine(runs[1], runs[2]);
        return [
          lowerIsBetter('export-rss-growth-mib', round(ours.growthKiB / 1024), 'MiB', round(baseline.growthKiB / 1024)),
          higherIsBetter('export-rows-per-second', round(ours.rows / ours.seconds), 'rows/s', round(baseline.rows / baseline.seconds)),
        ];
      } finally {
        await res.release();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two runs of one side: its larger memory growth (the claim is an upper bound), its shorter time. */
function combine(a: Run, b: Run): Run {
  return { ...a, growthKiB: Math.max(a.growthKiB, b.growthKiB), seconds: Math.min(a.seconds, b.seconds) };
}

/** Runs one export to `output` and reads the memory report it prints last on stderr. */
function run(env: Record<string, string>, args: string[], output: string): Promise<Run> {
  return new Promise((done, fail) => {
    const node = [...profiling(), '--disable-warning=NodeVersionSupportWarning', '--import', 'tsx'];
    execFile(process.execPath, [...node, ...args, '--out', output], { cwd: root, env, maxBuffer: 2 ** 20 }, (err, _stdout, stderr) => {
      const line = stderr.split('\n').find((l) => l.startsWith('EXPORT_MEMORY '));
      if (err || !line) return fail(new Error(`${args[0]} failed: ${err?.message ?? 'no memory report'}\n${stderr.slice(-2000)}`));
      const report = JSON.parse(line.slice('EXPORT_MEMORY '.length)) as { rssStartKiB: number; rssPeakKiB: number; rows: number; seconds: number };
      done({ rows: report.rows, seconds: report.seconds, growthKiB: report.rssPeakKiB - report.rssStartKiB, output });
    });
  });
}

const IN_MEMORY = '--in-memory-baseline';

/** The baseline: every row read into an array, all of it formatted into one string, then written. */
async function inMemoryExport(argv: string[]): Promise<void> {
  const arg = (name: string) => argv[argv.indexOf(name) + 1];
  const config = parseConfig(process.env);
  const dynamo = createDocumentClient(config.aws);
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 50);
  const started = performance.now();
  const reader = new QuoteReader(dynamo, config);
  const latest = await new QuotesService(reader, config).latest(arg('--symbols'));
  if (!latest) throw new Error(`no quote stored for ${arg('--symbols')}`);
  const all: StoredQuote[] = await reader.historyBetween(
    latest.symbol,
    latest.series,
    toInstant(arg('--from'), 'start'),
    toInstant(arg('--to'), 'end'),
    Infinity,
  );
  let text = '';
  for await (const chunk of exportChunks('csv', (async function* () {
    yield all;
  })()))
    text += chunk;
  writeFileSync(arg('--out'), text);
  clearInterval(timer);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  const report = { rssStartKiB: Math.round(rssStart / 1024), rssPeakKiB: Math.round(rssPeak / 1024), rows: all.length, seconds: (performance.now() - started) / 1000 };
  process.stderr.write(`EXPORT_MEMORY ${JSON.stringify(report)}\n`);
  dynamo.destroy();
}

if (require.main === module && process.argv.includes(IN_MEMORY)) {
  inMemoryExport(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
