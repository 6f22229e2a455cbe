/**
 * The options with which `npm run build` (tools/build/lambda-bundles-cli.ts) bundles the tsc output of each Lambda entry (decorator metadata
 * is already emitted there; esbuild cannot emit it from TypeScript) into one file per function:
 * `dist/lambda/<app>/index.js`, loadable by the Node 22 runtime with no node_modules beside it.
 */
import type { BuildOptions, Plugin } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The tsc output of each Lambda entry file, and where its bundle goes. */
export const LAMBDA_BUNDLES = {
  processor: { entry: 'dist/apps/processor/src/lambda.js', outfile: 'dist/lambda/processor/index.js' },
  ingestor: { entry: 'dist/apps/ingestor/src/lambda.js', outfile: 'dist/lambda/ingestor/index.js' },
} as const;

// Nest and terminus require these peers lazily, inside try/catch, only for features quoteflow does
// not use. Left unresolved they would stop the bundle; left external they fail softly, as in node_modules.
const OPTIONAL_PEERS =
  /^(@nestjs\/(microservices|websockets|mongoose|typeorm|sequelize)|@mikro-orm\/core|@prisma\/client|@grpc\/grpc-js|@fastify\/static|class-transformer\/storage)(\/.*)?$/;

const optionalPeersExternal: Plugin = {
  name: 'optional-peers-external',
  setup(b) {
    b.onResolve({ filter: OPTIONAL_PEERS }, (args) => {
      try {
        require.resolve(args.path, { paths: [args.resolveDir] });
        return undefined; // installed after all: bundle it like any other module
      } catch {
        return { path: args.path, external: true };
      }
    });
  },
};

/** esbuild options of one Lambda bundle (the benchmarks build a variant with the same options). */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [resolve(root, entry)],
    outfile: resolve(root, outfile),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    // Nest resolves providers by class, but names them in errors and logs: keep the names
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [optionalPeersExternal],
  };
}
