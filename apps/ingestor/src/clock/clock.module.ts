import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';

/** The one clock of the app: a test moves the whole app's time with `overrideProvider(CLOCK)`. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
