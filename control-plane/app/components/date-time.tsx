// A timestamp rendered the same on the server and in the browser (UTC, English), so hydration
// never disagrees.

export function formatDateTime(iso: string): string {
  return `${new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`
}

export function DateTime({ iso, fallback = '—', dateOnly }: { iso: string | null; fallback?: string; dateOnly?: boolean }) {
  if (!iso) return <span className="text-slate-400">{fallback}</span>
  const text = dateOnly ? new Date(iso).toLocaleDateString('en', { dateStyle: 'medium', timeZone: 'UTC' }) : formatDateTime(iso)
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {text}
    </time>
  )
}
