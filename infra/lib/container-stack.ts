import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import type { Construct } from 'constructs';
import { QuoteflowMonitoring } from './monitoring';
import { QuoteResources } from './quote-resources';
import { acknowledge } from './nag';
import { alertThresholds, type QuoteflowSettings } from './settings';

export interface QuoteflowContainerStackProps extends StackProps {
  settings: QuoteflowSettings;
  /** Images of the Dockerfile targets `ingestor` and `processor`. */
  images: { ingestor: ecs.ContainerImage; processor: ecs.ContainerImage };
}

const INGESTOR_PORT = 3000;
const PROCESSOR_PORT = 3001;
const runtimePlatform = { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX };

/** Same probe as the Dockerfile's HEALTHCHECK, which ECS does not read from the image. */
const healthCheck = (port: number): ecs.HealthCheck => ({
  command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
  interval: Duration.seconds(15),
  timeout: Duration.seconds(5),
  startPeriod: Duration.seconds(30),
});

/** quoteflow on ECS Fargate: the two container apps as they run locally, behind a load balancer for the API. */
export class QuoteflowContainerStack extends Stack {
  constructor(scope: Construct, id: string, props: QuoteflowContainerStackProps) {
    super(scope, id, props);
    const { settings } = props;
    // containers poll with the same visibility timeout as local provisioning (VISIBILITY_TIMEOUT_SECONDS)
    const resources = new QuoteResources(this, 'Resources', { settings, visibilityTimeout: Duration.seconds(60) });
    const environment = { ...resources.appEnvironment(settings), AWS_REGION: this.region };

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog'); // rejected and accepted traffic, to CloudWatch Logs
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    // one task: each ingestor runs the cron itself, and two would fetch every quote twice (only
    // during a deployment do old and new overlap; the writes are idempotent, so that costs quota only)
    const ingestor = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Ingestor', {
      cluster,
      desiredCount: 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform,
      taskImageOptions: {
        image: props.images.ingestor,
        containerName: 'ingestor',
        containerPort: INGESTOR_PORT,
        // the load balancer is the one proxy: its X-Forwarded-For entry names the client the rate limit counts
        environment: { ...environment, PORT: String(INGESTOR_PORT), TRUST_PROXY: '1' },
        // ECS reads these at task start with the execution role; the task role cannot read them
        secrets: {
          ADMIN_API_KEY: ecs.Secret.fromSecretsManager(resources.adminApiKey),
          ...(resources.rapidApiKey ? { RAPIDAPI_KEY: ecs.Secret.fromSecretsManager(resources.rapidApiKey) } : {}),
        },
      },
    });
    // liveness only: the API keeps serving stored quotes while the upstream is down (which makes
    // /health/ready fail on purpose, for alerts); a restart or a rollback would not bring it back
    ingestor.targetGroup.configureHealthCheck({ path: '/health/live' });
    resources.grantIngestor(ingestor.taskDefinition.taskRole, { servesApi: true });

    const processorTask = new ecs.FargateTaskDefinition(this, 'ProcessorTask', { cpu: 256, memoryLimitMiB: 512, runtimePlatform });
    processorTask.addContainer('processor', {
      image: props.images.processor,
      environment: { ...environment, PROCESSOR_PORT: String(PROCESSOR_PORT), BATCH_SIZE: '10' },
      portMappings: [{ containerPort: PROCESSOR_PORT }],
      healthCheck: healthCheck(PROCESSOR_PORT),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'processor' }),
      // the app stops polling on SIGTERM and finishes its batch in flight (up to 10 s)
      stopTimeout: Duration.seconds(30),
    });
    new ecs.FargateService(this, 'Processor', {
      cluster,
      taskDefinition: processorTask,
      desiredCount: 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    resources.grantProcessor(processorTask.taskRole, { pollsQueue: true, healthCheck: true });
    new QuoteflowMonitoring(this, 'Monitoring', { resources, thresholds: alertThresholds(settings), containers: true });

    acknowledge(
      ingestor.loadBalancer,
      'AwsSolutions-EC23',
      'the public HTTP API: the load balancer takes requests from anywhere on its listener port; the tasks behind it accept only the load balancer',
    );
    acknowledge(
      ingestor.loadBalancer,
      'AwsSolutions-ELB2',
      'the ingestor logs every request itself (pino-http: method, path, status, time, client from X-Forwarded-For) to CloudWatch Logs; ALB access logs would need an S3 bucket for the same lines',
    );
    acknowledge(
      this,
      'AwsSolutions-ECS2',
      'the environment holds only non-secret settings (names, provider list, limits); the API keys come from Secrets Manager as ECS secrets',
    );
  }
}
