/**
 * `npm run export -- --symbols A,B --from <ISO> --to <ISO> --format csv|ndjson [--out FILE]` writes
 * the stored quotes of each symbol in from..to, symbol after symbol, each newest first, in the very
 * rows `GET /quotes/:symbol/history` exports (same reader, same formatter), to FILE or stdout. Reads
 * one DynamoDB page at a time and writes it before reading the next, so memory stays flat however
 * long the range. Works wherever the environment points (`AWS_ENDPOINT_URL_DYNAMODB`, `TABLE_NAME`,
 * or real AWS), like the apps. Exit codes: 0 done, 1 failed (nothing stored for a symbol, table
 * unreachable), 2 bad arguments.
 */
import { ConfigError, createDocumentClient, parseConfig, type StoredQuote } from '@app/common';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exportChunks } from '../../apps/ingestor/src/quotes/quote-export';
import { QuoteReader } from '../../apps/ingestor/src/quotes/quote-reader';
import { QuotesService, toInstant } from '../../apps/ingestor/src/quotes/quotes.service';
import { parseExportArgs, USAGE, UsageError, type ExportArgs } from './export-args';
import { progressBar, silentProgress, type ExportProgress } from './export-progress';

async function main(argv: string[]): Promise<number> {
  let args: ExportArgs | 'help';
  try {
    args = parseExportArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.error(USAGE);
    return 0;
  }
  const config = parseConfig(process.env);
  const dynamo = createDocumentClient(config.aws);
  const quotes = new QuotesService(new QuoteReader(dynamo, config), config);
  const memory = args.memoryReport ? memoryWatch() : null;
  const started = performance.now();
  try {
    const sources: { symbol: string; pages: AsyncGenerator<StoredQuote[]> }[] = [];
    for (const symbol of args.symbols) {
      const pages = await quotes.historyPages(symbol, { from: args.from, to: args.to });
      if (!pages) {
        console.error(`no quote stored for ${symbol}`);
        return 1;
      }
      sources.push({ symbol, pages });
    }
    // a bar only where someone watches, and never mixed into rows written to that same terminal
    const showBar = process.stderr.isTTY && (args.out !== undefined || !process.stdout.isTTY);
    const progress = showBar ? progressBar(args.symbols, toInstant(args.from, 'start'), toInstant(args.to, 'end')) : silentProgress();
    const written = await write(exportChunks(args.format, watched(sources, progress, memory)), args.out);
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    if (written) console.error(`exported ${progress.rows} rows of ${args.symbols.join(', ')} to ${args.out ?? 'stdout'} in ${seconds.toFixed(1)} s`);
    if (memory) console.error(`EXPORT_MEMORY ${JSON.stringify({ ...memory.stop(), rows: progress.rows, seconds })}`);
    return 0;
  } finally {
    dynamo.destroy();
  }
}

/** Every symbol's pages in turn, each reported to the progress (and memory watch) as it passes. */
async function* watched(
  sources: { symbol: string; pages: AsyncGenerator<StoredQuote[]> }[],
  progress: ExportProgress,
  memory: { sample(): void } | null,
): AsyncGenerator<StoredQuote[]> {
  for (const [index, { symbol, pages }] of sources.entries()) {
    for await (const items of pages) {
      progress.page(index, symbol, items);
      memory?.sample();
      yield items;
    }
  }
}

/**
 * Streams the chunks to `out` (through `<out>.partial`, renamed when complete, so a failed export
 * leaves no file that looks whole) or stdout. `false` when stdout's reader went away (`| head`).
 */
async function write(chunks: AsyncIterable<string>, out: string | undefined): Promise<boolean> {
  const body = Readable.from(chunks, { objectMode: false });
  if (out === undefined) {
    try {
      await pipeline(body, process.stdout, { end: false });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return false;
      throw err;
    }
  }
  const partial = `${out}.partial`;
  try {
    await pipeline(body, createWriteStream(partial));
    renameSync(partial, out);
    return true;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/** Resident set size from now (modules loaded, client built) to the end: what the export itself adds. */
function memoryWatch() {
  const rssStartKiB = Math.round(process.memoryUsage.rss() / 1024);
  let rssPeakKiB = rssStartKiB;
  const sample = () => (rssPeakKiB = Math.max(rssPeakKiB, Math.round(process.memoryUsage.rss() / 1024)));
  const timer = setInterval(sample, 50);
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return { rssStartKiB, rssPeakKiB };
    },
  };
}

main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
