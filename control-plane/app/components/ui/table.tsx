import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react'
import { cn } from './cn.ts'

export function Table({ caption, children }: { caption?: string; children: ReactNode }) {
  return (
    // `relative`: absolutely positioned bits inside cells (sr-only labels) stay inside the scroller
    // instead of widening the page on narrow screens.
    <div className="relative overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  )
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn('whitespace-nowrap px-4 py-2.5 text-xs font-semibold uppercase tracking-wide text-slate-500', className)} {...props} />
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn('whitespace-nowrap px-4 py-3 text-slate-700', className)} {...props} />
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100 bg-white">{children}</tbody>
}
