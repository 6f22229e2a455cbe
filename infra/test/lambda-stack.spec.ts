import { Match } from 'aws-cdk-lib/assertions';
import { MAX_BATCHING_WINDOW, PROCESSOR_TIMEOUT } from '../lib/lambda-stack';
import { appsOf, lambdaStack, read } from './stacks';
import { TemplateReader } from './template';

describe('Lambda stack', () => {
  const reader = read(lambdaStack());
  const { template } = reader;
  const fn = (name: string) => reader.named('AWS::Lambda::Function', name);
  const [processorId, processor] = fn('Processor');
  const [apiId, api] = fn('IngestorApi');
  const [scheduleId, schedule] = fn('IngestorSchedule');
  const [queueId, queue] = reader.one('AWS::SQS::Queue', (p) => Boolean(p.RedrivePolicy));

  it('runs every function on Node 22, arm64, with the exports of the bundles', () => {
    expect([processor, api, schedule].map((f) => [f.Properties.Runtime, f.Properties.Architectures, f.Properties.Handler])).toEqual([
      ['nodejs22.x', ['arm64'], 'index.handler'],
      ['nodejs22.x', ['arm64'], 'index.handler'],
      ['nodejs22.x', ['arm64'], 'index.ingest'],
    ]);
  });

  it('feeds the processor batches of 10 from the quotes queue, reporting failed items only', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: processorId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: MAX_BATCHING_WINDOW.toSeconds(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(reader.ofType('AWS::Lambda::EventSourceMapping')).toHaveLength(1);
  });

  it('keeps a received batch invisible for at least 6 times the processor timeout', () => {
    expect(processor.Properties.Timeout).toBe(PROCESSOR_TIMEOUT.toSeconds());
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * processor.Properties.Timeout);
  });

  it('runs one ingest a minute on the schedule function, without retrying a missed minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [scheduleId, 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }) })],
    });
    expect(schedule.Properties.Timeout).toBeLessThan(60);
  });

  it('gives the schedule function no access to quotes in the table: it publishes, takes the ingest lease, shares the provider items and puts run records', () => {
    const role = TemplateReader.target(schedule.Properties.Role);
    const actions = reader.actionsOf(role);

    expect(actions).toContain('sqs:SendMessage');
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(reader.statementsOf(role).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'))).toEqual([
      expect.objectContaining({ Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['LEASE#ingest'] } } }),
      // the shared state: every run reads the provider items and the leases in one call, and writes its provider's items
      expect.objectContaining({ Action: 'dynamodb:BatchGetItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROVIDER#*', 'LEASE#*'] } } }),
      expect.objectContaining({ Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROVIDER#*'] } } }),
      expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RUNS#*'] } } }),
    ]);
  });

  it('serves the HTTP API from the API function with payload format 2.0 on every route', () => {
    const [, integration] = reader.one('AWS::ApiGatewayV2::Integration');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });

    expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(TemplateReader.mentions(integration.Properties.IntegrationUri, apiId)).toBe(true);
  });

  it('hands the ingestor functions the secrets as ARNs they may read, and the processor none', () => {
    const [rapidApiId] = reader.named('AWS::SecretsManager::Secret', 'RapidApiKey');
    const [adminId] = reader.named('AWS::SecretsManager::Secret', 'AdminApiKey');
    const apps = appsOf(reader, 'lambda');

    for (const environment of apps.ingestor.environments) {
      expect(environment).toMatchObject({ RAPIDAPI_KEY_SECRET_ARN: { Ref: rapidApiId }, ADMIN_API_KEY_SECRET_ARN: { Ref: adminId } });
    }
    for (const role of apps.ingestor.roles) {
      const reads = reader.statementsOf(role).filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(reads.map((s) => TemplateReader.target(s.Resource)).sort()).toEqual([adminId, rapidApiId].sort());
    }
    expect(Object.keys(apps.processor.environments[0]).filter((name) => name.endsWith('_SECRET_ARN'))).toEqual([]);
  });

  it('uses an existing RapidAPI secret when given its ARN instead of creating one', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/rapidapi-AbCdEf';
    const existing = read(lambdaStack({ provider: 'latest-stock-price', rapidApiKeySecretArn: arn }));

    expect(existing.ofType('AWS::SecretsManager::Secret')).toHaveLength(1);
    for (const environment of appsOf(existing, 'lambda').ingestor.environments) {
      expect(environment.RAPIDAPI_KEY_SECRET_ARN).toBe(arn);
    }
  });
});
