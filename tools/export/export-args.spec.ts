import { parseExportArgs, UsageError } from './export-args';

const VALID = ['--symbols', 'reliance, NIFTY 50,RELIANCE', '--from', '2024-09-16', '--to', '2024-09-16T10:29:47Z', '--format', 'csv'];

describe('npm run export arguments', () => {
  it('reads symbols (normalised, once each), range, format and output', () => {
    expect(parseExportArgs([...VALID, '--out', 'q.csv'])).toEqual({
      symbols: ['RELIANCE', 'NIFTY 50'],
      from: '2024-09-16',
      to: '2024-09-16T10:29:47Z',
      format: 'csv',
      out: 'q.csv',
      memoryReport: false,
    });
    expect(parseExportArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--from', '2024-09-16', '--to', '2024-09-16', '--format', 'csv'], /--symbols is required/],
    [['--symbols', 'IN#FY', '--from', '2024-09-16', '--to', '2024-09-16', '--format', 'csv'], /--symbols: not a symbol: IN#FY/],
    [['--symbols', 'A', '--to', '2024-09-16', '--format', 'csv'], /--from is required/],
    [['--symbols', 'A', '--from', 'soon', '--to', '2024-09-16', '--format', 'csv'], /--from must be an ISO-8601/],
    [['--symbols', 'A', '--from', '2024-09-16', '--to', '2024-09-16', '--format', 'json'], /--format must be one of csv, ndjson/],
    [['--symbols', 'A', '--from', '2024-09-17', '--to', '2024-09-16', '--format', 'csv'], /--from must not be after --to/],
    [[...VALID, '--colour'], /Unknown option '--colour'/],
    [[...VALID, 'stray'], /Unexpected argument 'stray'/],
    [[...VALID, '--out'], /argument missing/],
  ])('refuses %j', (args, message) => {
    expect(() => parseExportArgs(args)).toThrow(UsageError);
    expect(() => parseExportArgs(args)).toThrow(message);
  });

  it('names every problem at once', () => {
    expect(() => parseExportArgs(['--symbols', 'A'])).toThrow(/--from is required\n--to is required\n--format must be one of/);
  });
});
