import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Consumer } from 'sqs-consumer';

/** Long polling: one receive waits up to 20 s for messages instead of returning empty at once. */
const WAIT_TIME_SECONDS = 20;

export interface QueuePollersOptions {
  /** The client the loops receive and delete with (the receive gate's: its stop cancels their long polls). */
  sqs: SQSClient;
  queueUrl: string;
  /** Receive loops on the queue (`PROCESSOR_POLLERS`). */
  pollers: number;
  /** Messages per receive (`BATCH_SIZE`). */
  batchSize: number;
  /** Longest wait on shutdown for a loop's batch in flight (past the visibility timeout SQS hands it out again anyway). */
  stopWaitMs: number;
  /** Handles one received batch; answers exactly the messages to delete. */
  handleBatch: (messages: Message[]) => Promise<Message[]>;
  /** Runs before every receive; may wait (the table is unavailable) or throw (no further receive). */
  beforeReceive: () => Promise<void>;
  /** Runs first on shutdown: no further receive, and the long polls in progress are cancelled. */
  stopReceiving: () => void;
}

/**
 * Adapter that runs `pollers` sqs-consumer receive loops on one queue: while one waits on SQS or
 * DynamoDB, another works, and each deletes only what its own batch answered. Starts them once the
 * application is up; on shutdown stops them and resolves only when every loop has handed in its
 * batch in flight (written and deleted) and stopped, before the SDK clients are closed. Never
 * provided in Lambda: there the event source mapping polls.
 */
export class QueuePollers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueuePollers.name);
  private readonly consumers: Consumer[];
  private stopping = false;

  constructor(private readonly options: QueuePollersOptions) {
    this.consumers = Array.from({ length: options.pollers }, (_, index) => this.create(index));
  }

  /** How many receive loops there are. */
  get count(): number {
    return this.consumers.length;
  }

  onApplicationBootstrap(): void {
    for (const consumer of this.consumers) consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.options.stopReceiving();
    await Promise.all(this.consumers.map((consumer) => stopped(consumer)));
    this.logger.log(`${this.count} receive loop(s) stopped: every batch received was handled`);
  }

  private create(index: number): Consumer {
    const { sqs, queueUrl, batchSize, stopWaitMs, handleBatch, beforeReceive } = this.options;
    const consumer = Consumer.create({
      sqs,
      queueUrl,
      batchSize,
      waitTimeSeconds: WAIT_TIME_SECONDS,
      handleMessageBatch: handleBatch,
      preReceiveMessageCallback: beforeReceive,
      // without it, stop() reports `stopped` at once although a batch is still being written
      pollingCompleteWaitTimeMs: stopWaitMs,
    });
    const loop = `receive loop ${index + 1}/${this.options.pollers}`;
    consumer.on('error', (err, messages) => {
      // the long poll that a shutdown cancels fails like any receive; a batch's failure is always reported
      if (this.stopping && !messages) return;
      this.logger.error(`${loop}: ${messages ? 'batch failed' : 'SQS error'}: ${err.message}`);
    });
    consumer.on('processing_error', (err) => this.logger.error(`${loop}: batch handler failed: ${err.message}`));
    consumer.on('waiting_for_polling_to_complete_timeout_exceeded', () =>
      this.logger.warn(`${loop}: stopped after ${stopWaitMs} ms with a batch still in flight; SQS hands it out again`),
    );
    return consumer;
  }
}

function stopped(consumer: Consumer): Promise<void> {
  if (!consumer.status.isRunning) return Promise.resolve();
  return new Promise((resolve) => {
    consumer.once('stopped', () => resolve());
    consumer.stop();
  });
}
