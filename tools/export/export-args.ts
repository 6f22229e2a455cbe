import { normaliseSymbol } from '@app/common';
import { isISO8601 } from 'class-validator';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ExportFormat } from '../../apps/ingestor/src/quotes/quote-export';
import { toInstant } from '../../apps/ingestor/src/quotes/quotes.service';

export const USAGE =
  'usage: npm run export -- --symbols A,B --from <ISO date or instant> --to <ISO date or instant> --format csv|ndjson [--out FILE]';

export interface ExportArgs {
  symbols: string[];
  /** As given (a date means its whole UTC day, as on the HTTP route). */
  from: string;
  to: string;
  format: ExportFormat;
  /** `undefined`: stdout. */
  out?: string;
  /** Report the process's memory on stderr at the end (for the benchmark). */
  memoryReport: boolean;
}

/** The arguments are not usable; the message says which and why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses and checks the command line; `'help'` for `--help`. Throws {@link UsageError}. */
export function parseExportArgs(argv: string[]): ExportArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        symbols: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string', short: 'o' },
        'memory-report': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    // unknown options, missing values, stray positionals
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const problems: string[] = [];
  const raw = (values.symbols ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!raw.length) problems.push('--symbols is required: comma-separated symbols, e.g. RELIANCE,"NIFTY 50"');
  const bad = raw.filter((s) => !normaliseSymbol(s));
  if (bad.length) problems.push(`--symbols: not a symbol: ${bad.join(', ')}`);
  for (const name of ['from', 'to'] as const) {
    const value = values[name];
    if (value === undefined) problems.push(`--${name} is required`);
    else if (!isISO8601(value, { strict: true })) problems.push(`--${name} must be an ISO-8601 date or date-time, e.g. 2024-09-16 or 2024-09-16T10:29:47Z`);
  }
  if (!EXPORT_FORMATS.includes(values.format as ExportFormat)) problems.push(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  if (values.out === '') problems.push('--out needs a file name');
  if (!problems.length && toInstant(values.from!, 'start') > toInstant(values.to!, 'end')) problems.push('--from must not be after --to');
  if (problems.length) throw new UsageError(problems.join('\n'));
  return {
    symbols: [...new Set(raw.map((s) => normaliseSymbol(s)!))],
    from: values.from!,
    to: values.to!,
    format: values.format as ExportFormat,
    out: values.out,
    memoryReport: values['memory-report'],
  };
}
