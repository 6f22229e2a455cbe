import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QuotesService } from './quotes.service';

@ApiTags('quotes')
@Controller('symbols')
export class SymbolsController {
  constructor(private readonly quotes: QuotesService) {}

  @Get()
  @ApiOperation({ summary: 'Every stored instrument with its series, source and last quote time' })
  @ApiOkResponse({
    schema: { example: { items: [{ symbol: 'RELIANCE', series: 'EQ', source: 'latest-stock-price', lastQuoteTime: '2024-09-16T10:29:47.000Z', lastPrice: 2945.35 }] } },
  })
  async list() {
    return { items: await this.quotes.symbols() };
  }
}
