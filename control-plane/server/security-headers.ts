import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'

// Every response of the control plane (console pages, redirects, errors, assets, the admin API)
// carries these headers; this is the only place that sets them. The console's inline scripts
// (Remix's hydration context, ScrollRestoration) run by a per-request nonce, handed to Remix in
// the load context (root.tsx passes it to <Scripts> and <ScrollRestoration>).

/** max-age of a year: browsers only honour HSTS over HTTPS, which production runs behind. */
const HSTS = 'max-age=31536000; includeSubDomains'

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Tailwind is one stylesheet; no inline styles anywhere.
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export function securityHeadersFor(nonce: string, production: boolean): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not `no-referrer`: with it Chromium sends `Origin: null` on native (pre-hydration or
    // no-JavaScript) form posts, which the CSRF check refuses (console-csp.test.ts). `same-origin` never tells another site a console URL (they carry
    // reset/invite tokens) and keeps the Origin of same-origin posts.
    'referrer-policy': 'same-origin',
    ...(production ? { 'strict-transport-security': HSTS } : {}),
  }
}

/** Express middleware: sets the headers and leaves the request's nonce in `res.locals.cspNonce`. */
export function securityHeaders(production: boolean) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    for (const [name, value] of Object.entries(securityHeadersFor(nonce, production))) res.setHeader(name, value)
    next()
  }
}

export function cspNonceOf(res: Response): string {
  const nonce: unknown = res.locals.cspNonce
  if (typeof nonce !== 'string') throw new Error('securityHeaders() must run before the console handler')
  return nonce
}
