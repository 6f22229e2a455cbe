import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuoteflowConfig } from '../config/config';
import { QuoteflowError } from '../errors';

type AwsConfig = QuoteflowConfig['aws'];

function common(aws: AwsConfig, endpoint: string | null) {
  return {
    region: aws.region,
    ...(endpoint ? { endpoint } : {}),
    // The emulators accept any signature, but the SDK refuses to sign without credentials.
    ...(aws.placeholderCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
}

/** The one way quoteflow builds an SQS client. */
export function createSqsClient(aws: AwsConfig): SQSClient {
  return new SQSClient(common(aws, aws.sqsEndpoint));
}

/** The one way quoteflow builds a DynamoDB document client. Numbers come back as JS numbers. */
export function createDocumentClient(aws: AwsConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(common(aws, aws.dynamodbEndpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** A secret could not be read or holds no string value. The message names the secret, never its value. */
export class SecretUnavailableError extends QuoteflowError {}

/**
 * Reads the string value of a Secrets Manager secret with a client of the secret's own region (taken
 * from its ARN); used once at start-up, so the client is closed right after.
 */
export async function readSecretString(secretArn: string, client = new SecretsManagerClient({ region: secretArn.split(':')[3] })): Promise<string> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new SecretUnavailableError(`secret ${secretArn} has no string value`);
    return SecretString;
  } finally {
    client.destroy();
  }
}
