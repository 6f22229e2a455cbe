/**
 * Second half of `npm run build`: the Lambda bundles of {@link LAMBDA_BUNDLES}. Kept apart from
 * `lambda-bundles.ts` so that importing the options (tests, benchmarks, bundled bench workers, where
 * `require.main === module` holds for the whole bundle) never starts a build.
 */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LAMBDA_BUNDLES, lambdaBuildOptions } from './lambda-bundles';

const root = resolve(__dirname, '../..');

async function main(): Promise<void> {
  for (const [name, { entry, outfile }] of Object.entries(LAMBDA_BUNDLES)) {
    await build(lambdaBuildOptions(entry, outfile));
    console.log(`lambda ${name}: ${outfile} (${(statSync(resolve(root, outfile)).size / 1024).toFixed(0)} KiB)`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
