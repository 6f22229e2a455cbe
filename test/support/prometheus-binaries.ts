import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where Debian's `prometheus` package put `promtool` / `prometheus`, or `null`. Under CI=true a
 * missing binary fails the suite (.ci/run installs the package); elsewhere the suite is skipped with
 * a message, as the bundle checks are without a build.
 */
export function prometheusBinary(name: 'promtool' | 'prometheus'): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat('/usr/bin');
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p)) ?? null;
}

/** The binary, or `null` with a warning; throws under CI=true, where the checks must not be skipped. */
export function requirePrometheusBinary(name: 'promtool' | 'prometheus', what: string): string | null {
  const found = prometheusBinary(name);
  if (found) return found;
  if (process.env.CI === 'true') throw new Error(`${name} is missing, and CI=true: install Debian's prometheus package (apt-get install -y prometheus) to run ${what}`);
  console.warn(`${what}: ${name} is not installed, so these checks are SKIPPED (apt-get install -y prometheus; CI fails instead)`);
  return null;
}

/** Runs a binary to its end; answers its exit code and output. */
export function run(binary: string, args: string[], cwd?: string): { code: number | null; output: string } {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
