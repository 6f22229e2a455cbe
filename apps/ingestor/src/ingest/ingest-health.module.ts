import { READINESS_CHECKS } from '@app/common';
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IngestFreshness } from './ingest-freshness';

/** Adds "last good run recent enough" to the shared `/health/ready` (global: the health module must see it). */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [IngestFreshness, { provide: READINESS_CHECKS, useFactory: (freshness: IngestFreshness) => [freshness], inject: [IngestFreshness] }],
  exports: [IngestFreshness, READINESS_CHECKS],
})
export class IngestHealthModule {}
