import { parseSoakArgs } from './soak-args';

describe('parseSoakArgs', () => {
  it('reads the issue command line', () => {
    expect(parseSoakArgs(['--minutes', '30', '--instruments', '500', '--tick', '1', '--seed', '1'])).toEqual({
      minutes: 30,
      instruments: 500,
      tick: 1,
      seed: 1,
      buildDir: 'dist',
      logDir: 'test-artifacts/soak',
    });
  });

  it('refuses a value out of range, naming the option', () => {
    expect(() => parseSoakArgs(['--tick', '0'])).toThrow(/--tick must be an integer from 1 to 30/);
    expect(() => parseSoakArgs(['--instruments', 'many'])).toThrow(/--instruments/);
  });

  it('refuses an unknown option', () => {
    expect(() => parseSoakArgs(['--minuts', '3'])).toThrow();
  });
});
