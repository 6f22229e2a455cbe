import { ConfigError } from '../errors';
import { describeConfig, parseConfig } from './config';
import { loadConfig } from './config.module';

describe('describeConfig', () => {
  it('describes itself for the log with each secret as [set] or null, and everything else as it is', () => {
    const config = parseConfig({ RAPIDAPI_KEY: 'rapid-key-value-123', PORT: '3100' });

    const described = describeConfig(config);

    expect(described.upstream.rapidApiKey).toBe('[set]');
    expect(described.http.adminApiKey).toBeNull();
    expect(JSON.stringify(described)).not.toContain('rapid-key-value-123');
    expect({ ...described, upstream: { ...described.upstream, rapidApiKey: config.upstream.rapidApiKey } }).toEqual(JSON.parse(JSON.stringify(config)));
  });
});

describe('loadConfig with secret references', () => {
  const rapidApiArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/rapidapi-key-AbCdEf';
  const adminArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/admin-key-GhIjKl';
  const secrets: Record<string, string> = { [rapidApiArn]: 'rapidapi-secret-value\n', [adminArn]: 'admin-secret-value-0123456789' };
  const readSecret = async (arn: string) => {
    if (!(arn in secrets)) throw Object.assign(new Error(`no secret ${arn}`), { name: 'ResourceNotFoundException' });
    return secrets[arn];
  };

  it('reads each <NAME>_SECRET_ARN from the secret store into <NAME>', async () => {
    const config = await loadConfig({ RAPIDAPI_KEY_SECRET_ARN: rapidApiArn, ADMIN_API_KEY_SECRET_ARN: adminArn, NODE_ENV: 'production' }, readSecret);

    expect(config.upstream.rapidApiKey).toBe('rapidapi-secret-value');
    expect(config.http.adminApiKey).toBe('admin-secret-value-0123456789');
    expect(config.ingest.providers).toEqual(['latest-stock-price']);
  });

  it('asks the secret store nothing when no reference is set', async () => {
    const config = await loadConfig({ RAPIDAPI_KEY: 'plain' }, async () => Promise.reject(new Error('must not be called')));

    expect(config.upstream.rapidApiKey).toBe('plain');
  });

  it('refuses a secret given both ways, naming the variable', async () => {
    await expect(loadConfig({ RAPIDAPI_KEY: 'plain', RAPIDAPI_KEY_SECRET_ARN: rapidApiArn }, readSecret)).rejects.toThrow(
      /RAPIDAPI_KEY_SECRET_ARN: set either RAPIDAPI_KEY_SECRET_ARN or RAPIDAPI_KEY, not both/,
    );
  });

  it('names the reference it could not read or that is no secret ARN, and never a secret value', async () => {
    const missing = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone-XyZ123';

    const error = await loadConfig({ RAPIDAPI_KEY_SECRET_ARN: missing, ADMIN_API_KEY_SECRET_ARN: 'admin-secret-value-0123456789' }, readSecret).catch(
      (err: unknown) => err,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'ADMIN_API_KEY_SECRET_ARN: must be the ARN of a Secrets Manager secret',
      'RAPIDAPI_KEY_SECRET_ARN: cannot read the secret (ResourceNotFoundException)',
    ]);
  });

  it('refuses an empty secret', async () => {
    await expect(loadConfig({ RAPIDAPI_KEY_SECRET_ARN: rapidApiArn }, async () => '  ')).rejects.toThrow(/RAPIDAPI_KEY_SECRET_ARN: the secret is empty/);
  });

  it('does not let parseConfig pass over a reference nobody resolved', () => {
    expect(() => parseConfig({ RAPIDAPI_KEY_SECRET_ARN: rapidApiArn })).toThrow(/RAPIDAPI_KEY_SECRET_ARN: not resolved/);
  });
});
