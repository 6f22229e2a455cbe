import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** The dashboard page (`GET /`); it reads `/status` and the quotes API from the browser. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
