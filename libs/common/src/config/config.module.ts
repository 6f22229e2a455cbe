import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { resolve } from 'node:path';
import { readSecretString } from '../aws/aws-clients';
import { parseConfig, type QuoteflowConfig } from './quoteflow-config';
import { resolveSecretReferences } from './secrets';

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

/**
 * The configuration of this process, for its entry point to call once at start-up and hand to
 * {@link QuoteflowConfigModule.forRoot}. The only place that reads `process.env`; a `.env` file in
 * the working directory fills in the variables the environment leaves unset.
 */
export async function loadProcessConfig(readSecret?: (arn: string) => Promise<string>): Promise<QuoteflowConfig> {
  // @nestjs/config merges the .env file into process.env, leaving variables already set alone
  await ConfigModule.forRoot({ envFilePath: resolve(process.cwd(), '.env') });
  return loadConfig(process.env, readSecret);
}

/** The injection token of the {@link QuoteflowConfig}. Tests override the `quoteflowConfig.KEY` provider. */
export const quoteflowConfig = { KEY: 'CONFIGURATION(quoteflow)' } as const;

/** Injects the validated {@link QuoteflowConfig}. */
export const InjectConfig = () => Inject(quoteflowConfig.KEY);

const LOADED_CONFIG = Symbol('the QuoteflowConfig the entry point loaded');

/** Holds what {@link QuoteflowConfigModule.forRoot} was given. */
@Module({})
class LoadedConfigModule {}

/**
 * Global configuration module of both apps. Feature modules may import it as it is; the root
 * module of an entry point imports `QuoteflowConfigModule.forRoot(config)` with the configuration
 * it loaded, so Nest neither reads the environment nor asks Secrets Manager a second time.
 */
@Global()
@Module({
  providers: [
    {
      provide: quoteflowConfig.KEY,
      useFactory: (loaded?: QuoteflowConfig) => {
        if (!loaded) throw new Error('no configuration: the root module imports QuoteflowConfigModule.forRoot(await loadProcessConfig())');
        return loaded;
      },
      inject: [{ token: LOADED_CONFIG, optional: true }],
    },
  ],
  exports: [quoteflowConfig.KEY],
})
export class QuoteflowConfigModule {
  /**
   * The configuration module, serving `config` to every module of the app: through @nestjs/config
   * (also readable as `ConfigService.get('quoteflow-loaded')`), which reads no environment again.
   */
  static forRoot(config: QuoteflowConfig): DynamicModule {
    const loaded = registerAs('quoteflow-loaded', () => config);
    return {
      module: LoadedConfigModule,
      global: true,
      imports: [QuoteflowConfigModule, ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, load: [loaded] })],
      providers: [{ provide: LOADED_CONFIG, useFactory: (value: QuoteflowConfig) => value, inject: [loaded.KEY] }],
      exports: [LOADED_CONFIG],
    };
  }
}
