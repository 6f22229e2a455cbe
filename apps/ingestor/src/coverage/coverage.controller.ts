import { SERIES_PATTERN } from '@app/common';
import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { SymbolPipe } from '../quotes/symbol.pipe';
import { COVERAGE_EXAMPLE } from './coverage.example';
import { CoverageDateError, CoverageService, type CoverageReport } from './coverage.service';

export class CoverageQuery {
  @ApiPropertyOptional({ description: 'Exchange-local trading day. Default: the last trading day (today once its session has begun).', example: '2026-11-23' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a calendar date written YYYY-MM-DD (exchange-local)' })
  date?: string;

  @ApiPropertyOptional({ description: 'Series (e.g. NSE `EQ`, `BE`; a CoinGecko coin id). Default: the regular one.', example: 'EQ' })
  @IsOptional()
  @Matches(SERIES_PATTERN, { message: 'series must be 1-64 letters, digits, . _ or -' })
  series?: string;
}

@ApiTags('quotes')
@Controller('quotes')
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get(':symbol/coverage')
  @ApiOperation({ summary: 'Completeness of one trading day: expected minutes (schedule × calendar sessions) with a stored or unchanged quote, and the gaps' })
  @ApiParam({ name: 'symbol', description: 'Case-insensitive; URL-encode spaces (`NIFTY%2050`).', example: 'RELIANCE' })
  @ApiOkResponse({ schema: { example: COVERAGE_EXAMPLE } })
  @ApiNotFoundResponse({ schema: { example: { statusCode: 404, error: 'Not Found', message: 'no quote stored for NOPE' } } })
  @ApiBadRequestResponse({ description: 'Malformed symbol, series or date' })
  async report(@Param('symbol', SymbolPipe) symbol: string, @Query() query: CoverageQuery): Promise<CoverageReport> {
    const report = await this.coverage.forSymbol(symbol, query).catch((err: unknown) => {
      throw err instanceof CoverageDateError ? new BadRequestException(err.message) : err;
    });
    if (!report) throw new NotFoundException(`no quote stored for ${symbol}`);
    return report;
  }
}
