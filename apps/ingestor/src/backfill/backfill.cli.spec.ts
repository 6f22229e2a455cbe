import { parseBackfillArgs } from './backfill.cli';

describe('npm run backfill arguments', () => {
  it('takes the same body as POST /admin/backfill, symbols normalised', () => {
    expect(parseBackfillArgs(['--symbols', 'msft, aapl', '--from', '2026-11-30', '--to', '2026-12-01T21:00:00Z'])).toMatchObject({
      symbols: ['MSFT', 'AAPL'],
      from: '2026-11-30',
      to: '2026-12-01T21:00:00Z',
    });
    expect(parseBackfillArgs(['--from', '2026-11-30'])).toMatchObject({ from: '2026-11-30', symbols: undefined });
  });

  it.each([
    [['--symbols', 'MSFT'], /--from must be an ISO-8601 date/],
    [['--from', 'last week'], /--from must be an ISO-8601 date/],
    [['--from', '2026-11-30', '--symbols', 'not a symbol!'], /--symbols must be comma-separated symbols/],
    [['--from', '2026-12-01T10:00:00Z', '--to', '2026-12-01T09:00:00Z'], /--to must be later than from/],
    [['--from', '2026-11-30', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j, saying why', (argv, message) => {
    expect(parseBackfillArgs(argv)).toMatch(message);
  });
});
