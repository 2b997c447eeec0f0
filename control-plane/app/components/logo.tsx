import { cn } from './ui/cn.ts'

/** The Switchyard mark and word; `compact`: the word hides on phones (the header needs the room). */
export function Logo({ size = 'md', compact = false }: { size?: 'md' | 'lg'; compact?: boolean }) {
  const box = size === 'lg' ? 'h-10 w-10' : 'h-7 w-7'
  return (
    <span className="flex items-center gap-2">
      <svg viewBox="0 0 32 32" className={box} aria-hidden="true">
        <rect width="32" height="32" rx="8" className="fill-indigo-600" />
        <path d="M8 22h5l6-12h5M8 10h5l2 4m4 4 1 4h4" fill="none" stroke="white" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className={cn(size === 'lg' ? 'text-xl font-semibold tracking-tight text-slate-900' : 'text-base font-semibold tracking-tight text-slate-900', compact && 'hidden sm:inline')}>
        Switchyard
      </span>
    </span>
  )
}
