import { parseArgs } from 'node:util';

export interface SoakOptions {
  minutes: number;
  instruments: number;
  /** Seconds between ingest runs (the seconds field of `INGEST_CRON`). */
  tick: number;
  seed: number;
  /** Where the built apps are (`npm run build`'s dist/ by default). */
  buildDir: string;
  /** Where the apps' logs are written, one file per process. */
  logDir: string;
}

const USAGE = 'usage: npm run soak -- --minutes M --instruments N --tick S --seed K [--build-dir dist] [--log-dir test-artifacts/soak]';

/** Parses the soak's command line; throws with the usage when a value is missing or out of range. */
export function parseSoakArgs(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '2' },
      instruments: { type: 'string', default: '20' },
      tick: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      'build-dir': { type: 'string', default: 'dist' },
      'log-dir': { type: 'string', default: 'test-artifacts/soak' },
    },
    strict: true,
  });
  const number = (name: string, text: string, min: number, max: number, integer = true) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"\n${USAGE}`);
    }
    return value;
  };
  return {
    minutes: number('minutes', values.minutes, 0.5, 24 * 60, false),
    instruments: number('instruments', values.instruments, 1, 9999),
    // a seconds field step: 1..30 keeps `*/S` firing evenly within each minute
    tick: number('tick', values.tick, 1, 30),
    seed: number('seed', values.seed, 0, 2 ** 31 - 1),
    buildDir: values['build-dir'],
    logDir: values['log-dir'],
  };
}
