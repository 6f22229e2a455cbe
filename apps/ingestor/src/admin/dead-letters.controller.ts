import { DeadLetterAdmin } from '@app/common';
import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AdminKeyGuard } from '../security/admin-key.guard';

export class DeadLetterQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 1000' })
  @Max(1000, { message: 'limit must be between 1 and 1000' })
  limit: number = 100;
}

/** The DLQ for operators, behind the admin key: what is in it and why, and the way back. */
@Controller('admin/dlq')
@UseGuards(AdminKeyGuard)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  /** Up to `limit` dead letters with their reasons (they stay in the DLQ), and its depth. */
  @Get()
  async list(@Query() query: DeadLetterQuery) {
    const items = await this.deadLetters.list(query.limit);
    return { depth: await this.deadLetters.depth(), items };
  }

  /** Moves every dead letter back to the quotes queue. */
  @Post('redrive')
  @HttpCode(200)
  redrive() {
    return this.deadLetters.redrive();
  }
}
