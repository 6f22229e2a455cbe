/**
 * CDK app: `npm run synth` (offline, into cdk.out/), `npx cdk deploy`. Context:
 *   -c target=lambda|containers     where the apps run (default lambda)
 *   -c provider=...                 MARKET_DATA_PROVIDER (default latest-stock-price)
 *   -c symbols=...                  SYMBOLS
 *   -c rapidApiKeySecretArn=...     complete ARN of an existing secret with the RapidAPI key (else one is created to fill in)
 *   -c alarmEmail=...               who gets the alarms
 *   -c ingestorImage=... -c processorImage=...   containers: prebuilt images instead of building the Dockerfile
 */
import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { QuoteflowContainerStack } from '../lib/container-stack';
import { QuoteflowLambdaStack } from '../lib/lambda-stack';
import { settingsFromContext } from '../lib/settings';

const root = resolve(__dirname, '../..');
const app = new App();
const { target, settings } = settingsFromContext((key) => app.node.tryGetContext(key));

if (target === 'lambda') {
  const bundle = (name: string) => {
    const dir = resolve(root, 'dist/lambda', name);
    if (!existsSync(resolve(dir, 'index.js'))) throw new Error(`${dir}/index.js is missing: run npm run build first (npm run synth does)`);
    return lambda.Code.fromAsset(dir);
  };
  new QuoteflowLambdaStack(app, 'Quoteflow', { settings, code: { processor: bundle('processor'), ingestor: bundle('ingestor') } });
} else {
  // fromAsset only fingerprints the build context at synth time (.dockerignore applies); Docker runs at deploy
  const image = (name: 'ingestor' | 'processor') => {
    const prebuilt = app.node.tryGetContext(`${name}Image`) as string | undefined;
    return prebuilt
      ? ecs.ContainerImage.fromRegistry(prebuilt)
      : ecs.ContainerImage.fromAsset(root, { target: name, platform: Platform.LINUX_ARM64 });
  };
  new QuoteflowContainerStack(app, 'QuoteflowContainers', { settings, images: { ingestor: image('ingestor'), processor: image('processor') } });
}
