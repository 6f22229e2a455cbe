import { CalendarDataError } from '../calendar/calendar-data';
import { ConfigError } from '../errors';
import { exitOnStartupError } from './startup';

function exitWith(err: unknown): { code: unknown; written: string } {
  const written: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((text) => written.push(String(text)) > 0);
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw Object.assign(new Error('exit'), { code });
  }) as never);
  try {
    exitOnStartupError('ingestor', err);
  } catch (e) {
    return { code: (e as { code?: unknown }).code, written: written.join('') };
  } finally {
    write.mockRestore();
    exit.mockRestore();
  }
  throw new Error('expected the process to exit');
}

describe('exitOnStartupError', () => {
  it('prints a bad calendar data file as the file and its fields, without a stack, and exits 1', () => {
    const err = new CalendarDataError('libs/common/src/calendar/data/nse.json', ['holidays.3.date: must be a date written YYYY-MM-DD']);

    expect(exitWith(new Error('module init failed', { cause: err }))).toEqual({
      code: 1,
      written: 'ingestor cannot start. Invalid exchange calendar libs/common/src/calendar/data/nse.json:\n  - holidays.3.date: must be a date written YYYY-MM-DD\n',
    });
  });

  it('prints a configuration problem the same way', () => {
    expect(exitWith(new ConfigError(['PORT: must be a number']))).toEqual({ code: 1, written: 'ingestor cannot start. Invalid configuration:\n  - PORT: must be a number\n' });
  });

  it('prints anything else with its stack', () => {
    expect(exitWith(new Error('socket hang up')).written).toMatch(/^ingestor failed to start: Error: socket hang up\n {4}at /);
  });
});
