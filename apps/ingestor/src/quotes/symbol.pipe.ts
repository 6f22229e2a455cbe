import { normaliseSymbol } from '@app/common';
import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** `:symbol` route parameters: case-insensitive, URL-decoded by Express, checked against the symbol pattern. */
@Injectable()
export class SymbolPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const symbol = value.length <= 64 ? normaliseSymbol(value) : null;
    if (!symbol) {
      throw new BadRequestException(
        'symbol must be 1-40 characters: letters, digits, space and . & _ = ^ - (e.g. RELIANCE, NIFTY%2050)',
      );
    }
    return symbol;
  }
}
