import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUNDLES, lambdaBuildOptions } from '../tools/build/lambda-bundles';
import { runNodeScript } from '../tools/node-script';
import { lowerIsBetter, median, round, type Figure } from './figure';
import { BENCH_CACHE_DIR, BenchEnv, root } from './support/bench-env';

/** The processor bundle built like `npm run build` does, but without tree-shaking (the baseline). */
const UNSHAKEN_PROCESSOR = resolve(BENCH_CACHE_DIR, 'lambda-processor-no-tree-shaking.js');

export interface LambdaBenchOptions {
  coldStarts: number;
}

export const LAMBDA_BENCH: LambdaBenchOptions = { coldStarts: 7 };

/**
 * The Lambda bundles: their size, and the processor's cold start (loading the file and the first
 * invocation, which builds the Nest context and resolves the DLQ) in a fresh Node process each
 * time, against the embedded emulators (median of `coldStarts`). Baselines: the same handler
 * bundled with the same options but without tree-shaking, and the unbundled tsc output with
 * node_modules, as it would run without esbuild.
 */
export async function lambdaBench(options: LambdaBenchOptions = LAMBDA_BENCH): Promise<Figure[]> {
  for (const { outfile } of Object.values(LAMBDA_BUNDLES)) {
    if (!existsSync(resolve(root, outfile))) throw new Error(`${outfile} is missing: run npm run build first`);
  }
  await build({ ...lambdaBuildOptions(LAMBDA_BUNDLES.processor.entry, UNSHAKEN_PROCESSOR), treeShaking: false });
  const kib = (file: string) => round(statSync(resolve(root, file)).size / 1024);
  const figures = [
    lowerIsBetter('lambda-processor-bundle-size', kib(LAMBDA_BUNDLES.processor.outfile), 'KiB', kib(UNSHAKEN_PROCESSOR)),
    lowerIsBetter('lambda-ingestor-bundle-size', kib(LAMBDA_BUNDLES.ingestor.outfile), 'KiB'),
  ];

  await BenchEnv.with(async (env) => {
    const res = await env.resources('lambda');
    try {
      const coldStart = async (file: string) => {
        const runs: number[] = [];
        for (let i = 0; i < options.coldStarts; i++) runs.push(await initMs(resolve(root, file), res.env));
        return round(median(runs));
      };
      const bundled = await coldStart(LAMBDA_BUNDLES.processor.outfile);
      const unshaken = await coldStart(UNSHAKEN_PROCESSOR);
      const unbundled = await coldStart(LAMBDA_BUNDLES.processor.entry);
      figures.push(
        lowerIsBetter('lambda-processor-cold-start-init', bundled, 'ms', unshaken),
        lowerIsBetter('lambda-processor-cold-start-init-vs-unbundled', bundled, 'ms', unbundled),
      );
    } finally {
      await res.release();
    }
  });
  return figures;
}

/** Milliseconds from `require` of the handler file to the end of its first (empty) invocation, in a new process. */
async function initMs(file: string, env: Record<string, string>): Promise<number> {
  const script = `
    const started = performance.now();
    const { handler } = require(${JSON.stringify(file)});
    handler({ Records: [] }).then((answer) => {
      if (answer.batchItemFailures.length) throw new Error('unexpected failures');
      process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\\n');
      process.exit(0);
    });`;
  const line = await runNodeScript(script, { cwd: root, env, marker: '{"ms"', what: `cold start of ${file}` });
  return (JSON.parse(`{"ms"${line}`) as { ms: number }).ms;
}
