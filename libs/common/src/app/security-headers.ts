import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet's security headers for the HTTP of both apps. The Content-Security-Policy is helmet's
 * default (scripts, images and connections from the page's own origin only; styles also inline,
 * which Swagger UI and the chart library need) minus `upgrade-insecure-requests`: TLS ends at the load
 * balancer or API Gateway, and a service reached over plain HTTP (`npm start`, a LAN host) must not
 * send browsers to an https:// that does not exist.
 */
export function securityHeaders(): RequestHandler {
  return helmet({ contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } } });
}
