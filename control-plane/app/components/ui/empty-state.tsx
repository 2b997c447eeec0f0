import type { ReactNode } from 'react'

export function EmptyState(props: { icon?: ReactNode; title: string; description: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center rounded-xl border-2 border-dashed border-slate-200 bg-white px-6 py-12 text-center">
      {props.icon ? (
        <div className="flex h-12 w-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600" aria-hidden="true">
          {props.icon}
        </div>
      ) : null}
      <h3 className="mt-4 text-base font-semibold text-slate-900">{props.title}</h3>
      <p className="mt-1 max-w-md text-sm text-slate-500">{props.description}</p>
      {props.action ? <div className="mt-6">{props.action}</div> : null}
    </div>
  )
}
