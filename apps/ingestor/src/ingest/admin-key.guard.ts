import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

/** When `ADMIN_API_KEY` is set, the route needs header `x-api-key` with that value. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@InjectConfig() config: QuoteflowConfig) {
    this.expected = config.http.adminApiKey ? digest(config.http.adminApiKey) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const given = context.switchToHttp().getRequest<Request>().header('x-api-key');
    // compare digests of equal length in constant time, so the key's length and content do not leak
    if (given && timingSafeEqual(digest(given), this.expected)) return true;
    throw new UnauthorizedException('a valid x-api-key header is required');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
