import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_BUILD_DIR } from '../support/build-apps';
import type { SoakSummary } from '../../tools/soak/soak';

const root = resolve(__dirname, '../..');
// the CI run: two minutes under a fixed seed; few instruments, as the CI machine has two cores
const ARGS = ['--minutes', '2', '--instruments', '20', '--tick', '1', '--seed', '29'];

/**
 * The fault soak of `npm run soak`, run as its own process (it starts its own emulators, proxies,
 * upstream and four app processes from the e2e build) and judged by its JSON summary line.
 */
describe('soak under injected faults (npm run soak, 2 minutes, seed 29)', () => {
  let summary: SoakSummary;
  let exitCode: number | null;

  beforeAll(async () => {
    const child = spawn(
      process.execPath,
      ['--no-warnings', '--import', 'tsx', 'tools/soak/soak-cli.ts', ...ARGS, '--build-dir', TEST_BUILD_DIR, '--log-dir', 'test-artifacts/soak-e2e'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    exitCode = await new Promise((done) => child.once('exit', (code) => done(code)));
    const line = out.split('\n').find((l) => l.startsWith('{"soak":"summary"'));
    if (!line) throw new Error(`the soak printed no summary (exit ${exitCode}):\n${err.slice(-5000)}`);
    summary = JSON.parse(line) as SoakSummary;
    // the summary line and the table, for whoever reads the test output
    console.log(`${line}\n${err.slice(err.indexOf('\nrun '))}`);
  }, 8 * 60_000);

  it('loses, doubles, invents and alters no quote, and exits 0', () => {
    expect({ lost: summary.lost, doubled: summary.doubled, invented: summary.invented, mismatched: summary.mismatched, latestWrong: summary.latestWrong }).toEqual({
      lost: 0,
      doubled: 0,
      invented: 0,
      mismatched: 0,
      latestWrong: 0,
    });
    expect(summary.served).toBeGreaterThan(0);
    expect(summary.stored).toBeGreaterThanOrEqual(summary.published);
    expect(exitCode).toBe(0);
  });

  it('injected at least ten faults of at least five kinds', () => {
    const counts = Object.values(summary.faults);

    expect(counts.reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(10);
    expect(counts.length).toBeGreaterThanOrEqual(5);
  });

  it('reports coverage gaps exactly in the minutes without a served quote', () => {
    expect(summary.coverage.reportedGapMinutes).toEqual(summary.coverage.unservedMinutes);
    expect(summary.coverage.agree).toBe(true);
  });

  it('drained the queue and left nothing in the DLQ', () => {
    expect(summary.drainedInSeconds).not.toBeNull();
    expect(summary.dlq).toEqual({ depth: 0, reasons: {} });
  });
});
