import { useEffect, useState } from 'react'
import { Button } from './button.tsx'

/** Copies a shown-once secret; announces "Copied" to screen readers. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 2000)
    return () => clearTimeout(timer)
  }, [copied])
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={() => {
        void navigator.clipboard.writeText(value).then(() => setCopied(true))
      }}
    >
      <span aria-live="polite">{copied ? 'Copied' : label}</span>
    </Button>
  )
}

/** A secret shown once, with its copy button. */
export function SecretReveal({ value, label }: { value: string; label: string }) {
  return (
    <div className="flex items-center gap-2 rounded-md border border-amber-200 bg-amber-50 p-3">
      <code className="flex-1 select-all break-all font-mono text-sm text-slate-900" aria-label={label}>
        {value}
      </code>
      <CopyButton value={value} />
    </div>
  )
}
