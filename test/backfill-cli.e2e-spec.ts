import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_BUILD_DIR } from './support/build-apps';
import { testStack } from './support/test-stack';

/**
 * `npm run backfill` runs the compiled CLI (`dist/apps/ingestor/src/backfill/backfill.cli.js`):
 * Nest injects by the decorator metadata that tsc emits and a loader such as tsx does not, so the
 * CLI is run here from the e2e build exactly as the npm script runs it from `dist/`.
 */
function backfillCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--no-warnings', resolve(TEST_BUILD_DIR, 'apps/ingestor/src/backfill/backfill.cli.js'), ...args],
      { cwd: resolve(__dirname, '..'), env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run backfill (the built CLI)', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ env } = await testStack());
  });

  it('starts the backfill module and prints the pass summary as JSON', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();

    const { code, stdout, stderr } = await backfillCli({ ...env, MARKET_DATA_PROVIDER: 'demo' }, '--from', from);

    expect({ code, stderr: stderr.trim() }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ trigger: 'cli', instruments: [] });
  });

  it('refuses bad arguments with exit code 2 and the usage', async () => {
    const { code, stderr } = await backfillCli(env, '--from', 'yesterday');

    expect(code).toBe(2);
    expect(stderr).toMatch(/--from must be an ISO-8601 date[\s\S]*usage: npm run backfill/);
  });
});
