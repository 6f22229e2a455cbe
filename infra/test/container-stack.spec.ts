import { parseConfig } from '@app/common/config/config';
import { Match } from 'aws-cdk-lib/assertions';
import { containerStack, read } from './stacks';
import { TemplateReader } from './template';

describe('container stack (-c target=containers)', () => {
  const reader = read(containerStack());
  const { template } = reader;
  const task = (name: string) => reader.one('AWS::ECS::TaskDefinition', (p) => p.ContainerDefinitions.some((c: { Name: string }) => c.Name === name))[1];
  const container = (name: string) => task(name).Properties.ContainerDefinitions.find((c: { Name: string }) => c.Name === name);

  it('runs both apps as Fargate services on arm64, from the images it is given', () => {
    expect(reader.ofType('AWS::ECS::Service').map(([, s]) => s.Properties.LaunchType)).toEqual(['FARGATE', 'FARGATE']);
    for (const [name, image] of [
      ['ingestor', 'quoteflow-ingestor:test'],
      ['processor', 'quoteflow-processor:test'],
    ]) {
      expect(task(name).Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
      expect(container(name).Image).toBe(image);
    }
  });

  it('puts the ingestor behind a load balancer that checks /health/live on its PORT', () => {
    const port = Number(container('ingestor').Environment.find((e: { Name: string }) => e.Name === 'PORT').Value);

    expect(container('ingestor').PortMappings).toEqual([expect.objectContaining({ ContainerPort: port })]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health/live' });
    template.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [Match.objectLike({ ContainerName: 'ingestor', ContainerPort: port })] });
  });

  it('trusts the load balancer, and only it, to name the client in X-Forwarded-For (the rate limit counts per client)', () => {
    const trustProxy = container('ingestor').Environment.find((e: { Name: string }) => e.Name === 'TRUST_PROXY').Value;

    expect(parseConfig({ TRUST_PROXY: trustProxy }).http.trustProxy).toBe(1);
  });

  it('checks the processor health on its PROCESSOR_PORT', () => {
    const port = container('processor').Environment.find((e: { Name: string }) => e.Name === 'PROCESSOR_PORT').Value;

    expect(container('processor').HealthCheck.Command.join(' ')).toContain(`127.0.0.1:${port}/health`);
  });

  it('injects the secrets into the ingestor container from Secrets Manager, read by the execution role only', () => {
    const [rapidApiId] = reader.named('AWS::SecretsManager::Secret', 'RapidApiKey');
    const [adminId] = reader.named('AWS::SecretsManager::Secret', 'AdminApiKey');
    const ingestor = task('ingestor').Properties;

    expect(container('ingestor').Secrets).toEqual(
      expect.arrayContaining([
        { Name: 'RAPIDAPI_KEY', ValueFrom: { Ref: rapidApiId } },
        { Name: 'ADMIN_API_KEY', ValueFrom: { Ref: adminId } },
      ]),
    );
    expect(container('processor').Secrets).toBeUndefined();
    const readers = (roleArn: unknown) =>
      reader
        .statementsOf(TemplateReader.target(roleArn))
        .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
        .map((s) => TemplateReader.target(s.Resource));
    expect(readers(ingestor.ExecutionRoleArn).sort()).toEqual([adminId, rapidApiId].sort());
    expect(readers(ingestor.TaskRoleArn)).toEqual([]);
  });

  it('fails a deployment whose tasks do not become healthy, and rolls it back', () => {
    template.allResourcesProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
  });
});
