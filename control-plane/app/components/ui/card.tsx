import type { ReactNode } from 'react'
import { cn } from './cn.ts'

export function Card({ className, children }: { className?: string; children: ReactNode }) {
  return <section className={cn('rounded-xl border border-slate-200 bg-white shadow-sm', className)}>{children}</section>
}

export function CardHeader(props: { title: ReactNode; description?: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-6 py-5">
      <div>
        <h2 id={props.id} className="text-base font-semibold text-slate-900">
          {props.title}
        </h2>
        {props.description ? <p className="mt-1 text-sm text-slate-500">{props.description}</p> : null}
      </div>
      {props.actions ? <div className="flex items-center gap-2">{props.actions}</div> : null}
    </div>
  )
}

/** `flush` drops the padding (a table that runs edge to edge). */
export function CardBody({ className, flush, children }: { className?: string; flush?: boolean; children: ReactNode }) {
  return <div className={cn(flush ? null : 'px-6 py-5', className)}>{children}</div>
}

export function CardFooter({ children }: { children: ReactNode }) {
  return <div className="flex items-center justify-end gap-3 rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3">{children}</div>
}
