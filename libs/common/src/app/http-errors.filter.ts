import { type ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/**
 * Every error answer has the shape `{ statusCode, error, message }`. Unexpected errors are logged
 * with their stack here, and the client gets only a generic 500: no stack, no internal names.
 */
@Catch()
export class HttpErrorsFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res.status(status).json({
        ...(typeof body === 'object' ? body : {}),
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message,
      });
      return;
    }
    // body-parser errors (malformed JSON, too large) carry their own 4xx status
    const status = (exception as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ statusCode: status, error: STATUS_CODES[status], message: (exception as Error).message });
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
  }
}
