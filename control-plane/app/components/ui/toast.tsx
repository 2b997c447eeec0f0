import { useEffect, useState } from 'react'
import { cn, FOCUS_RING } from './cn.ts'

export interface ToastMessage {
  id: string
  kind: 'success' | 'error' | 'info'
  message: string
}

const TONES = {
  success: 'border-emerald-200 bg-white text-slate-900 [--dot:theme(colors.emerald.500)]',
  error: 'border-red-200 bg-white text-slate-900 [--dot:theme(colors.red.500)]',
  info: 'border-indigo-200 bg-white text-slate-900 [--dot:theme(colors.indigo.500)]',
}

/** The live region is always rendered, so screen readers announce each new toast. */
export function Toaster({ toast }: { toast: ToastMessage | null }) {
  const [visible, setVisible] = useState<ToastMessage | null>(toast)
  useEffect(() => {
    setVisible(toast)
    if (!toast) return
    const timer = setTimeout(() => setVisible(null), 6000)
    return () => clearTimeout(timer)
  }, [toast])
  return (
    <div aria-live="polite" role="status" className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex justify-center p-4 sm:justify-end">
      {visible ? (
        <div
          data-testid="toast"
          className={cn('pointer-events-auto flex max-w-sm items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg', TONES[visible.kind])}
        >
          <span className="mt-1.5 h-2 w-2 flex-none rounded-full bg-[var(--dot)]" aria-hidden="true" />
          <p className="flex-1">{visible.message}</p>
          <button type="button" onClick={() => setVisible(null)} className={cn('rounded text-slate-400 hover:text-slate-600', FOCUS_RING)}>
            <span className="sr-only">Dismiss</span>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ) : null}
    </div>
  )
}
