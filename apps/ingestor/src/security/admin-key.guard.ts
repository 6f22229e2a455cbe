import { InjectConfig, type QuoteflowConfig } from '@app/common';
import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

/** The configured `ADMIN_API_KEY`, compared with what a request carries in `x-api-key`. */
export class AdminKey {
  private readonly expected: Buffer | null;

  constructor(key: string | null) {
    this.expected = key ? digest(key) : null;
  }

  get configured(): boolean {
    return this.expected !== null;
  }

  /** True when a key is configured and the request's `x-api-key` header equals it. */
  carriedBy(req: Request): boolean {
    const given = req.header('x-api-key');
    // compare digests of equal length in constant time, so the key's length and content do not leak
    return this.expected !== null && typeof given === 'string' && timingSafeEqual(digest(given), this.expected);
  }
}

/** When `ADMIN_API_KEY` is set, the route needs header `x-api-key` with that value. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly key: AdminKey;

  constructor(@InjectConfig() config: QuoteflowConfig) {
    this.key = new AdminKey(config.http.adminApiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.key.configured || this.key.carriedBy(context.switchToHttp().getRequest<Request>())) return true;
    throw new UnauthorizedException('a valid x-api-key header is required');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
