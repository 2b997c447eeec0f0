import type { AppLoadContext as _AppLoadContext } from '@remix-run/node'
import type { AppServices } from './services/app-services.server.ts'

// The Remix bundle has its own copies of every module, so state is shared with the server
// process only through the load context built by server/http.ts.
declare module '@remix-run/node' {
  interface AppLoadContext {
    services: AppServices
    /** The peer address of the request (per-IP throttling). */
    clientIp?: string
    /** This response's CSP nonce (server/security-headers.ts), for the inline scripts root.tsx renders. */
    cspNonce?: string
  }
}
