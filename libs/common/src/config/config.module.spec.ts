import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InjectConfig, loadProcessConfig, QuoteflowConfigModule, quoteflowConfig } from './config.module';
import type { QuoteflowConfig } from './quoteflow-config';

const rapidApiArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/rapidapi-key-AbCdEf';
const adminArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/admin-key-GhIjKl';
const secrets: Record<string, string> = { [rapidApiArn]: 'rapidapi-secret-value', [adminArn]: 'admin-secret-value-0123456789' };

@Injectable()
class ConfigReader {
  constructor(@InjectConfig() readonly config: QuoteflowConfig) {}
}

// a feature module that imports the configuration module itself, as the processor's batch module does
@Module({ imports: [QuoteflowConfigModule], providers: [ConfigReader], exports: [ConfigReader] })
class FeatureModule {}

describe('the configuration of a process', () => {
  const saved = { env: { ...process.env }, cwd: process.cwd() };
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quoteflow-config-'));
    process.chdir(dir); // no .env file here unless a test writes one
  });

  afterEach(() => {
    process.chdir(saved.cwd);
    rmSync(dir, { recursive: true, force: true });
    for (const name of Object.keys(process.env)) if (!(name in saved.env)) delete process.env[name];
    Object.assign(process.env, saved.env);
  });

  it('reads each secret once per process start, and Nest hands every module that same configuration', async () => {
    Object.assign(process.env, { RAPIDAPI_KEY_SECRET_ARN: rapidApiArn, ADMIN_API_KEY_SECRET_ARN: adminArn });
    const readSecret = jest.fn(async (arn: string) => secrets[arn]);

    const config = await loadProcessConfig(readSecret);
    process.env.PORT = 'not a port'; // Nest must not look at the environment again
    const app = await Test.createTestingModule({ imports: [QuoteflowConfigModule.forRoot(config), FeatureModule] }).compile();

    expect(readSecret.mock.calls.map(([arn]) => arn).sort()).toEqual([adminArn, rapidApiArn].sort());
    expect(app.get(ConfigReader).config).toBe(config);
    expect(app.get(quoteflowConfig.KEY)).toBe(config);
    expect(config.upstream.rapidApiKey).toBe('rapidapi-secret-value');
    await app.close();
  });

  it('fills in unset variables from a .env file in the working directory; the environment wins', async () => {
    writeFileSync(join(dir, '.env'), 'PORT=3100\nPROCESSOR_PORT=3101\n');
    process.env.PROCESSOR_PORT = '3201';

    const config = await loadProcessConfig(async () => Promise.reject(new Error('must not be called')));

    expect(config.http).toMatchObject({ port: 3100, processorPort: 3201 });
  });

  it('refuses to build an app that was handed no configuration, saying what is missing', async () => {
    await expect(Test.createTestingModule({ imports: [FeatureModule] }).compile()).rejects.toThrow(/QuoteflowConfigModule\.forRoot/);
  });

  it('lets a test override the configuration of an app built without one', async () => {
    const config = { production: false } as QuoteflowConfig;

    const app = await Test.createTestingModule({ imports: [FeatureModule] }).overrideProvider(quoteflowConfig.KEY).useValue(config).compile();

    expect(app.get(ConfigReader).config).toBe(config);
    await app.close();
  });
});
