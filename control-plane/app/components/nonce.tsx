import { createContext, useContext } from 'react'

// The request's CSP nonce (server/security-headers.ts), from entry.server.tsx to root.tsx's
// inline scripts. In the browser it is '' (browsers hide nonces from the DOM), which is fine:
// only the server-rendered scripts need it.
const NonceContext = createContext('')

export const NonceProvider = NonceContext.Provider

export function useNonce(): string {
  return useContext(NonceContext)
}
