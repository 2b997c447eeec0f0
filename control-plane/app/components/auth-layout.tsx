import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Logo } from './logo.tsx'

/** The frame of the signed-out pages: the mark, a card, and a quiet footer. */
export function AuthLayout(props: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="flex min-h-full flex-col justify-center bg-gradient-to-b from-slate-50 to-indigo-50/40 px-4 py-12 sm:px-6">
      <div className="mx-auto w-full max-w-md">
        <div className="flex justify-center">
          <Logo size="lg" />
        </div>
        <h1 className="mt-8 text-center text-2xl font-semibold tracking-tight text-slate-900">{props.title}</h1>
        {props.subtitle ? <p className="mt-2 text-center text-sm text-slate-600">{props.subtitle}</p> : null}
        <main className="mt-8 rounded-xl border border-slate-200 bg-white px-6 py-8 shadow-sm sm:px-8">{props.children}</main>
        {props.footer ? <div className="mt-6 text-center text-sm text-slate-600">{props.footer}</div> : null}
        <p className="mt-10 text-center text-xs text-slate-400">
          Switchyard · self-hosted LLM gateway ·{' '}
          <Link to="/status" className="underline underline-offset-2 hover:text-slate-600">
            System status
          </Link>
        </p>
      </div>
    </div>
  )
}
