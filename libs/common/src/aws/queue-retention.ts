/**
 * How long the quotes queue and its DLQ keep a message, shared by local provisioning and the CDK
 * stack. The DLQ keeps its messages longer, so a dead letter outlives the message it came from.
 */
export const QUEUE_RETENTION = {
  queueSeconds: 4 * 24 * 3600,
  deadLetterSeconds: 14 * 24 * 3600,
} as const;
