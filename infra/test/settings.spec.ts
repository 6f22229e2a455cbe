import { settingsFromContext } from '../lib/settings';

describe('settingsFromContext', () => {
  it('deploys the Lambda path with the latest-stock-price provider unless told otherwise', () => {
    expect(settingsFromContext(() => undefined)).toEqual({
      target: 'lambda',
      settings: { provider: 'latest-stock-price', symbols: undefined, rapidApiKeySecretArn: undefined, alarmEmail: undefined, historyRetentionDays: undefined },
    });
  });

  it('selects the container path with -c target=containers', () => {
    const context: Record<string, string> = { target: 'containers', provider: 'demo', symbols: 'ACME' };

    expect(settingsFromContext((key) => context[key])).toMatchObject({ target: 'containers', settings: { provider: 'demo', symbols: 'ACME' } });
  });

  it('refuses an unknown target', () => {
    expect(() => settingsFromContext((key) => (key === 'target' ? 'kubernetes' : undefined))).toThrow(/target must be "lambda" or "containers"/);
  });
});

describe('alert thresholds from context', () => {
  it('takes a threshold given with -c, and refuses one that is not a number', () => {
    const context: Record<string, string> = { staleFeedSeconds: '300' };

    expect(settingsFromContext((key) => context[key]).settings.alertThresholds).toEqual({ staleFeedSeconds: 300 });
    expect(() => settingsFromContext((key) => (key === 'coverageMin' ? 'high' : undefined))).toThrow(/context coverageMin must be a number >= 0, not "high"/);
  });
});
