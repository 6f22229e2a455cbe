import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { QueueDepths } from '../aws/queue-depths';
import { TableProbe } from '../aws/table-probe';
import type { QuoteflowConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';

/** Readiness probes of the two AWS resources both apps depend on, through their adapters. */
@Injectable()
export class AwsHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(QueueDepths) private readonly depths: QueueDepths,
    @Inject(TableProbe) private readonly probe: TableProbe,
    @InjectConfig() private readonly config: QuoteflowConfig,
  ) {}

  /** The quotes queue answers: its URL is known (looked up again until it is) and its attributes can be read. */
  async queue() {
    const session = this.health.check('queue');
    try {
      await this.depths.queue();
      return session.up({ name: this.config.queue.name });
    } catch (err) {
      return session.down({ name: this.config.queue.name, message: errorMessage(err) });
    }
  }

  async table() {
    const session = this.health.check('table');
    try {
      return session.up({ name: this.probe.tableName, tableStatus: await this.probe.status() });
    } catch (err) {
      return session.down({ name: this.probe.tableName, message: errorMessage(err) });
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
