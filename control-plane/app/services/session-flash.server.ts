import { z } from 'zod'
import { readCookie } from './session-cookie.server.ts'

// Server-driven toasts: an action sets a short-lived flash cookie on its redirect; the root
// loader reads it once, clears it, and the <Toaster> announces it (aria-live).

export const Toast = z.object({
  id: z.string().max(40),
  kind: z.enum(['success', 'error', 'info']),
  message: z.string().max(500),
})
export type Toast = z.infer<typeof Toast>

const FLASH_COOKIE = 'switchyard_flash'

function attributes(production: boolean): string {
  return `Path=/; HttpOnly; SameSite=Lax${production ? '; Secure' : ''}`
}

export function flashCookie(toast: Omit<Toast, 'id'>, production: boolean): string {
  const value = Buffer.from(JSON.stringify({ ...toast, id: crypto.randomUUID() })).toString('base64url')
  return `${FLASH_COOKIE}=${value}; ${attributes(production)}; Max-Age=60`
}

export function readFlash(request: Request, production: boolean): { toast: Toast | null; clearCookie: string | null } {
  const raw = readCookie(request.headers.get('cookie'), FLASH_COOKIE)
  if (!raw) return { toast: null, clearCookie: null }
  const clearCookie = `${FLASH_COOKIE}=; ${attributes(production)}; Max-Age=0`
  try {
    const parsed = Toast.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')))
    return { toast: parsed.success ? parsed.data : null, clearCookie }
  } catch {
    return { toast: null, clearCookie }
  }
}
