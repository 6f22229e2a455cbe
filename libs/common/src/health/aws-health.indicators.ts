import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { QuoteflowConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { resolveQueueUrl } from '../aws/aws-clients';

/** Readiness probes of the two AWS resources both apps depend on. */
@Injectable()
export class AwsHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(SQSClient) private readonly sqs: SQSClient,
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() private readonly config: QuoteflowConfig,
  ) {}

  async queue() {
    const session = this.health.check('queue');
    try {
      const url = await resolveQueueUrl(this.sqs, this.config.queue.name);
      await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      return session.up({ name: this.config.queue.name });
    } catch (err) {
      return session.down({ name: this.config.queue.name, message: errorMessage(err) });
    }
  }

  async table() {
    const session = this.health.check('table');
    try {
      const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.config.table.name }));
      return session.up({ name: this.config.table.name, tableStatus: Table?.TableStatus });
    } catch (err) {
      return session.down({ name: this.config.table.name, message: errorMessage(err) });
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
