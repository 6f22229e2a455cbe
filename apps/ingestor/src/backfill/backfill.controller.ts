import { BadRequestException, Body, ConflictException, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { toInstant } from '../quotes/quotes.service';
import { AdminKeyGuard } from '../security/admin-key.guard';
import { BackfillBody } from './backfill.dto';
import { BackfillInProgressError, BackfillService, type BackfillSummary } from './backfill.service';

@ApiTags('admin')
@Controller('admin/backfill')
@UseGuards(AdminKeyGuard)
export class BackfillController {
  constructor(private readonly backfill: BackfillService) {}

  /** One backfill pass over the given symbols and range now; answers once the bars are on the queue. */
  @Post()
  @HttpCode(200)
  @ApiSecurity('admin')
  @ApiOperation({ summary: 'Fill the gaps of symbols in a range from the providers\' history endpoints, within the call budget; 409 while a pass runs' })
  async run(@Body() body: BackfillBody): Promise<BackfillSummary> {
    const from = new Date(toInstant(body.from, 'start'));
    const to = body.to === undefined ? undefined : new Date(toInstant(body.to, 'end'));
    if (to && to <= from) throw new BadRequestException('to must be later than from');
    return this.backfill.run({ trigger: 'admin', symbols: body.symbols, from, to }).catch((err: unknown) => {
      throw err instanceof BackfillInProgressError ? new ConflictException(err.message) : err;
    });
  }
}
