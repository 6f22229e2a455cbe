import type { StoredQuote } from '@app/common';

/** What `GET /quotes/:symbol/history` answers besides its JSON pages, and what `npm run export` writes. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

/**
 * The columns of a CSV export and the fields of an NDJSON line, in order: a JSON history item's.
 * `origin` and `interval` label a backfilled bar (`backfill`, `1m`); a live quote has neither (an
 * empty CSV field; no such key in NDJSON, as in the JSON history).
 */
export const EXPORT_COLUMNS = ['symbol', 'series', 'price', 'high', 'low', 'quoteTime', 'insertedAt', 'source', 'origin', 'interval'] as const;

/**
 * A stored number as plain decimal text. The document client hands DynamoDB numbers over as JS
 * numbers, and the shortest text that round-trips a JS number (`String(n)`) is the decimal the
 * processor stored; only its exponent form (`1e-7`, below 10⁻⁶ or from 10²¹ on) is rewritten, by
 * moving the point in the text: no arithmetic, so no digit can change.
 */
export function decimalText(value: number): string {
  const text = String(value);
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const [, sign, lead, rest = '', power] = exp;
  const shift = Number(power);
  return shift < 0 ? `${sign}0.${'0'.repeat(-shift - 1)}${lead}${rest}` : `${sign}${lead}${rest}${'0'.repeat(shift - rest.length)}`;
}

/** One CSV field per RFC 4180: quoted (inner quotes doubled) when it holds a comma, quote, line break or space. */
export function csvField(text: string): string {
  return /[",\r\n ]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CSV_HEADER = `${EXPORT_COLUMNS.join(',')}\r\n`;

const number = (value: number | null) => (value === null ? '' : decimalText(value));

/** One CSV record, CRLF-terminated; a missing series, high, low, origin or interval is an empty field. */
export function csvRecord(q: StoredQuote): string {
  const fields = [q.symbol, q.series ?? '', number(q.price), number(q.high), number(q.low), q.quoteTime, q.insertedAt, q.source, q.origin ?? '', q.interval ?? ''];
  return `${fields.map(csvField).join(',')}\r\n`;
}

const json = (value: string | null) => JSON.stringify(value);
const jsonNumber = (value: number | null) => (value === null ? 'null' : decimalText(value));

/** One NDJSON line: the JSON history item (labels only where stored), its numbers written as their stored decimal text. */
export function ndjsonLine(q: StoredQuote): string {
  const labels = `${q.origin ? `,"origin":${json(q.origin)}` : ''}${q.interval ? `,"interval":${json(q.interval)}` : ''}`;
  return (
    `{"symbol":${json(q.symbol)},"series":${json(q.series)},"price":${jsonNumber(q.price)},"high":${jsonNumber(q.high)},` +
    `"low":${jsonNumber(q.low)},"quoteTime":${json(q.quoteTime)},"insertedAt":${json(q.insertedAt)},"source":${json(q.source)}${labels}}\n`
  );
}

/**
 * The export as text chunks: the CSV header first, then one chunk per page, formatted only when the
 * consumer asks for it (a stream that waits on a slow client stops reading the table too).
 */
export async function* exportChunks(format: ExportFormat, pages: AsyncIterable<StoredQuote[]>): AsyncGenerator<string> {
  if (format === 'csv') yield CSV_HEADER;
  const line = format === 'csv' ? csvRecord : ndjsonLine;
  for await (const page of pages) yield page.map(line).join('');
}

/**
 * Reads the first page before anything is sent, so that a bad cursor or an unreachable table is
 * still an HTTP error (or an exit code) rather than an export cut short; the rest stays lazy.
 */
export async function firstPageRead<T>(pages: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await pages.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* pages;
  })();
}
