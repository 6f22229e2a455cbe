import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { QuoteflowMonitoring } from './monitoring';
import { QuoteResources } from './quote-resources';
import { acknowledge } from './nag';
import { alertThresholds, type QuoteflowSettings } from './settings';

export interface QuoteflowLambdaStackProps extends StackProps {
  settings: QuoteflowSettings;
  /** The bundles of `npm run build` (`dist/lambda/<app>`); tests hand in stand-ins. */
  code: { processor: lambda.Code; ingestor: lambda.Code };
}

/** Longest a processor invocation may take; one batch of 10 writes takes well under a second. */
export const PROCESSOR_TIMEOUT = Duration.seconds(30);
/** SQS waits up to this long to fill a batch of 10 before invoking the processor. */
export const MAX_BATCHING_WINDOW = Duration.seconds(5);

/** quoteflow on Lambda: SQS → processor function → DynamoDB; EventBridge and an HTTP API → ingestor functions. */
export class QuoteflowLambdaStack extends Stack {
  constructor(scope: Construct, id: string, props: QuoteflowLambdaStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const resources = new QuoteResources(this, 'Resources', {
      settings,
      visibilityTimeout: Duration.seconds(PROCESSOR_TIMEOUT.toSeconds() * 6),
    });
    const environment = resources.appEnvironment(settings);

    const processor = this.nodeFunction('Processor', props.code.processor, 'index.handler', PROCESSOR_TIMEOUT, environment);
    processor.addEventSource(
      new SqsEventSource(resources.queue, { batchSize: 10, maxBatchingWindow: MAX_BATCHING_WINDOW, reportBatchItemFailures: true }),
    );
    resources.grantProcessor(processor, { pollsQueue: false, healthCheck: false });

    // secrets travel as ARNs; the functions read the values at cold start (loadConfig in libs/common)
    const ingestorEnvironment = {
      ...environment,
      ADMIN_API_KEY_SECRET_ARN: resources.adminApiKey.secretArn,
      ...(resources.rapidApiKey ? { RAPIDAPI_KEY_SECRET_ARN: resources.rapidApiKey.secretArn } : {}),
    };
    const api = this.nodeFunction('IngestorApi', props.code.ingestor, 'index.handler', Duration.seconds(30), ingestorEnvironment);
    const ingest = this.nodeFunction('IngestorSchedule', props.code.ingestor, 'index.ingest', Duration.seconds(50), ingestorEnvironment);
    resources.grantIngestor(api, { servesApi: true });
    resources.grantIngestor(ingest, { servesApi: false });
    for (const fn of [api, ingest]) {
      resources.adminApiKey.grantRead(fn);
      resources.rapidApiKey?.grantRead(fn);
    }

    new events.Rule(this, 'EveryMinute', {
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // a missed minute is skipped rather than retried: the next run fetches fresh quotes anyway
      targets: [new targets.LambdaFunction(ingest, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });

    new QuoteflowMonitoring(this, 'Monitoring', {
      resources,
      thresholds: alertThresholds(settings),
      functions: { Processor: processor, IngestorApi: api, IngestorSchedule: ingest },
    });

    const httpApi = new apigateway.HttpApi(this, 'HttpApi', {
      defaultIntegration: new HttpLambdaIntegration('Ingestor', api, {
        payloadFormatVersion: apigateway.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    // one JSON line per request in CloudWatch Logs (API Gateway writes them with its service-linked role)
    const accessLogs = new logs.LogGroup(this, 'HttpApiAccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    (httpApi.defaultStage!.node.defaultChild as apigateway.CfnStage).accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        time: '$context.requestTime',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
      }),
    };
    acknowledge(
      httpApi,
      'AwsSolutions-APIG4',
      'a public read API of market data by design; the admin routes (POST /ingest/trigger, /admin/*) check x-api-key against ADMIN_API_KEY from Secrets Manager in the app, which also rate-limits each client',
    );
    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });

    acknowledge(
      this,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "the AWS managed policy grants only the CloudWatch Logs writes a function's own log group needs (CreateLogGroup, CreateLogStream, PutLogEvents)",
    );
    acknowledge(
      this,
      'AwsSolutions-L1',
      "Node.js 22 is the runtime the bundles are built and tested for (the Dockerfile's too); @codegenie/serverless-express 4.17 is the line for it, its 5.x needs Node 24: move both together",
    );
  }

  private nodeFunction(id: string, code: lambda.Code, handler: string, timeout: Duration, environment: Record<string, string>) {
    return new lambda.Function(this, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      code,
      handler,
      timeout,
      memorySize: 512,
      environment,
      logGroup: new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    });
  }
}
