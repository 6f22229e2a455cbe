import { SQSClient } from '@aws-sdk/client-sqs';
import { DeadLetterAdmin, QueueUrls } from '@app/common';
import { Module } from '@nestjs/common';
import { DeadLettersController } from './dead-letters.controller';

/** The DLQ's administration routes (list, redrive). */
@Module({
  controllers: [DeadLettersController],
  providers: [{ provide: DeadLetterAdmin, useFactory: (sqs: SQSClient, urls: QueueUrls) => new DeadLetterAdmin(sqs, urls), inject: [SQSClient, QueueUrls] }],
})
export class DeadLettersModule {}
