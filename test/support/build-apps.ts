import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LAMBDA_BUNDLES, lambdaBuildOptions } from '../../tools/build/lambda-bundles';

const root = resolve(__dirname, '../..');

/**
 * Where the e2e run keeps its own build of the apps: suites that kill or signal an app run it as a
 * child process from here (the decorators need tsc's metadata, which tsx does not emit). Kept out
 * of `dist/` so that a test run never replaces what `npm run build` made, and out of
 * `node_modules/` so that checkouts sharing one node_modules (git worktrees) never run each
 * other's build, nor delete it under a run in progress.
 */
export const TEST_BUILD_DIR = resolve(root, 'test-artifacts/e2e-build');

/** Compiles both apps exactly as `npm run build` does, into {@link TEST_BUILD_DIR}. */
export async function buildAppsForTests(): Promise<void> {
  const run = promisify(execFile);
  const node = process.execPath;
  rmSync(TEST_BUILD_DIR, { recursive: true, force: true });
  try {
    await run(node, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', TEST_BUILD_DIR], { cwd: root });
    await run(node, [resolve(root, 'node_modules/tsc-alias/dist/bin/index.js'), '-p', 'tsconfig.build.json', '--outDir', TEST_BUILD_DIR], { cwd: root });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`building the apps for the e2e suites failed:\n${stdout}${stderr}`, { cause: err });
  }
  // the Lambda bundles too, from this build exactly as `npm run build` makes them from dist/, so
  // the bundle suite runs on a fresh clone instead of depending on an earlier `npm run build`
  for (const name of Object.keys(LAMBDA_BUNDLES) as LambdaName[]) {
    await build(lambdaBuildOptions(testBuildPath(LAMBDA_BUNDLES[name].entry), testBundle(name)));
  }
}

export type LambdaName = keyof typeof LAMBDA_BUNDLES;

/** A path of `npm run build`'s output (`dist/...`), in the e2e build instead, relative to the root. */
function testBuildPath(distPath: string): string {
  return distPath.replace(/^dist\//, `${relative(root, TEST_BUILD_DIR)}/`);
}

/** The e2e build's bundle of one Lambda function (relative to the root, as `LAMBDA_BUNDLES`). */
export function testBundle(name: LambdaName): string {
  return testBuildPath(LAMBDA_BUNDLES[name].outfile);
}
