import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { strictFake } from '../support/strict-fake';

/** One command the code sent: the command's class name (`BatchWriteCommand`, `PutCommand`, …) and its input. */
export interface SentCommand {
  name: string;
  // the inputs differ per command; tests read the fields they are about
  input: any;
}

const defaultAnswers: Record<string, unknown> = { BatchWriteCommand: {}, PutCommand: {}, BatchGetCommand: { Responses: {} }, DescribeTableCommand: {} };

/**
 * A DynamoDB document client that records every command sent (so a test counts the calls) and
 * answers through `answer` (throw to fail a call); commands it does not answer get AWS's plain
 * success answer. Nothing else of the client may be used.
 */
export function countingDynamo(answer: (command: SentCommand) => unknown = () => undefined) {
  const sent: SentCommand[] = [];
  const dynamo = strictFake<DynamoDBDocumentClient>(
    {
      send: (async (command: { constructor: { name: string }; input: unknown }) => {
        const call = { name: command.constructor.name, input: command.input };
        sent.push(call);
        return (await answer(call)) ?? defaultAnswers[call.name];
      }) as never,
    },
    'dynamo',
  );
  return { dynamo, sent, count: (name: string) => sent.filter((c) => c.name === name).length };
}

export const sdkError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });

/** A failed condition; `storedQuoteTime` as AWS sends the winning item with `ReturnValuesOnConditionCheckFailure` (marshalled). */
export const conditionFailed = (storedQuoteTime?: string) =>
  sdkError('ConditionalCheckFailedException', storedQuoteTime ? { Item: { quoteTime: { S: storedQuoteTime } } } : {});
