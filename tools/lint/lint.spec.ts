import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const ESLINT = resolve(ROOT, 'node_modules/eslint/bin/eslint.js');

/**
 * Lints `source` as a file under apps/ with the project's own config, through the CLI `npm run lint`
 * uses (ESLint loads `eslint.config.mjs` with a dynamic import, which jest's module sandbox cannot run).
 */
// named *.spec.ts so that the apps' build (tsconfig.build.json), which an e2e run may start meanwhile, leaves it out
function lintAppFile(name: string, source: string): { status: number | null; rules: string[] } {
  const file = resolve(ROOT, 'apps/ingestor/src', name);
  writeFileSync(file, source);
  try {
    const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', relative(ROOT, file)], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(run.stdout || '[]') as { messages: { ruleId: string | null; message: string }[] }[];
    return { status: run.status, rules: report.flatMap((r) => r.messages.map((m) => m.ruleId ?? m.message)) };
  } finally {
    rmSync(file, { force: true });
  }
}

const PROBE = (call: string) => `
async function save(): Promise<void> {
  await Promise.resolve();
}

export function onTick(): void {
  ${call}
}
`;

describe('npm run lint', () => {
  it('fails on a floating promise in apps/, and passes the same file with the promise handled', () => {
    const floating = lintAppFile('lint-probe-floating.spec.ts', PROBE('save();'));
    const handled = lintAppFile('lint-probe-handled.spec.ts', PROBE('save().catch(() => undefined);'));

    expect(floating).toEqual({ status: 1, rules: ['@typescript-eslint/no-floating-promises'] });
    expect(handled).toEqual({ status: 0, rules: [] });
  }, 180_000);
});
