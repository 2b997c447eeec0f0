import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { Button } from '../ui/button.tsx'

// Auto-refresh: revalidate the loader on an interval while the tab is visible (pausable), and
// announce new rows to screen readers.

export const REFRESH_MS = 5000

export function useAutoRefresh(enabled: boolean): { paused: boolean; setPaused: (p: boolean) => void } {
  const [paused, setPaused] = useState(false)
  const revalidator = useRevalidator()
  const state = useRef(revalidator)
  state.current = revalidator
  useEffect(() => {
    if (!enabled || paused) return
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && state.current.state === 'idle') state.current.revalidate()
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [enabled, paused])
  return { paused, setPaused }
}

/** Ids that appeared since the previous render's rows (empty on first render). */
export function useFreshIds(ids: string[]): Set<string> {
  const seen = useRef<Set<string> | null>(null)
  const [fresh, setFresh] = useState<Set<string>>(new Set())
  const key = ids.join(',')
  useEffect(() => {
    const current = key ? key.split(',') : []
    if (seen.current) {
      const previous = seen.current
      setFresh(new Set(current.filter((id) => !previous.has(id))))
    }
    seen.current = new Set(current)
  }, [key])
  return fresh
}

export function RefreshControl(props: { enabled: boolean; paused: boolean; onToggle: () => void; freshCount: number }) {
  const message = props.freshCount > 0 ? `${props.freshCount} new request${props.freshCount === 1 ? '' : 's'}` : ''
  return (
    <div className="flex items-center gap-3">
      <p className="sr-only" aria-live="polite" data-testid="new-rows">
        {message}
      </p>
      {props.enabled ? (
        <>
          <span className="flex items-center gap-2 text-sm text-slate-500">
            <span className={props.paused ? 'h-2 w-2 rounded-full bg-slate-300' : 'h-2 w-2 animate-pulse rounded-full bg-emerald-500'} aria-hidden="true" />
            {props.paused ? 'Paused' : 'Live, every 5 s'}
          </span>
          <Button variant="secondary" size="sm" onClick={props.onToggle} aria-pressed={props.paused}>
            {props.paused ? 'Resume' : 'Pause'}
          </Button>
        </>
      ) : (
        <span className="text-sm text-slate-500">Auto-refresh is off on older pages</span>
      )}
    </div>
  )
}
