import { Inject } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { readSecretString } from '../aws/aws-clients';
import { parseConfig, resolveSecretReferences, type QuoteflowConfig } from './config';

/**
 * Validated configuration of `env`, with `<NAME>_SECRET_ARN` references read from Secrets Manager
 * first (how the Lambda functions get their secrets without holding them in plain environment text).
 */
export async function loadConfig(
  env: Record<string, string | undefined>,
  readSecret: (arn: string) => Promise<string> = (arn) => readSecretString(arn),
): Promise<QuoteflowConfig> {
  return parseConfig(await resolveSecretReferences(env, readSecret));
}

/** The only place that reads `process.env` (after @nestjs/config has merged a `.env` file into it). */
export const quoteflowConfig = registerAs('quoteflow', () => loadConfig(process.env));

/** Injects the validated {@link QuoteflowConfig}. Tests override the `quoteflowConfig.KEY` provider. */
export const InjectConfig = () => Inject(quoteflowConfig.KEY);

/** Global configuration module for both apps. */
export const QuoteflowConfigModule = ConfigModule.forRoot({ isGlobal: true, load: [quoteflowConfig] });
