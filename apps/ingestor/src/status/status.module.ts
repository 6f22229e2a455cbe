import { type DynamicModule, Module } from '@nestjs/common';
import { CoverageModule } from '../coverage/coverage.module';
import { QualityModule } from '../quality/quality.module';
import { StatusController } from './status.controller';

/** `GET /status`: what every feature reports, from the shared table (the run history and schedule come from the global ingest module). */
@Module({})
export class StatusModule {
  /** `backfill`: the app's one backfill module, whose service reports the passes. */
  static register(backfill: DynamicModule): DynamicModule {
    return { module: StatusModule, imports: [CoverageModule, QualityModule, backfill], controllers: [StatusController] };
  }
}
