import { Inject } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { parseConfig } from './config';

/** The only place that reads `process.env` (after @nestjs/config has merged a `.env` file into it). */
export const quoteflowConfig = registerAs('quoteflow', () => parseConfig(process.env));

/** Injects the validated {@link QuoteflowConfig}. Tests override the `quoteflowConfig.KEY` provider. */
export const InjectConfig = () => Inject(quoteflowConfig.KEY);

/** Global configuration module for both apps. */
export const QuoteflowConfigModule = ConfigModule.forRoot({ isGlobal: true, load: [quoteflowConfig] });
