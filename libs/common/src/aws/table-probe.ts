import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Adapter that asks whether the quotes table answers (provided by `AwsModule`): the readiness probe
 * of both apps and the processor's receive gate, which probes it while the table is unavailable.
 */
export class TableProbe {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    /** `TABLE_NAME`. */
    readonly tableName: string,
  ) {}

  /** The table's status (`ACTIVE`, …) as DescribeTable answers it; rejects with the SDK's error when it does not answer. */
  async status(): Promise<string | undefined> {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
    return Table?.TableStatus;
  }
}
