import { Form } from '@remix-run/react'
import { Button } from './ui/button.tsx'
import { cn, FOCUS_RING } from './ui/cn.ts'
import { Field } from './ui/field.tsx'

// A destructive action behind a confirmation step: a <details> disclosure (keyboard and
// screen-reader friendly without JavaScript) holding the form, optionally with a typed
// confirmation that the action checks on the server.

export function DangerZone(props: {
  title: string
  description: string
  buttonLabel: string
  /** Submitted as `intent` (default "delete"). */
  intent?: string
  /** When set, the user types a confirmation into the `confirm` field. */
  confirmLabel?: string
  error?: string | undefined
}) {
  return (
    <section className="rounded-xl border border-red-200 bg-white shadow-sm">
      <details className="group" open={props.error ? true : undefined}>
        <summary className={cn('flex cursor-pointer list-none flex-wrap items-center justify-between gap-3 rounded-xl px-6 py-5', FOCUS_RING)}>
          <span>
            <span className="block text-base font-semibold text-red-700">{props.title}</span>
            <span className="mt-1 block text-sm text-slate-500">{props.description}</span>
          </span>
          <span className="rounded-md px-3 py-1.5 text-sm font-medium text-red-700 ring-1 ring-inset ring-red-200 group-open:hidden">{props.buttonLabel}…</span>
        </summary>
        <Form method="post" className="flex flex-wrap items-end gap-4 border-t border-red-100 px-6 py-5">
          {props.confirmLabel ? (
            <Field label={props.confirmLabel} name="confirm" autoComplete="off" required className="min-w-[16rem] flex-1" error={props.error} />
          ) : (
            <p className="flex-1 text-sm text-slate-700">This cannot be undone.</p>
          )}
          <Button type="submit" variant="danger" name="intent" value={props.intent ?? 'delete'}>
            {props.buttonLabel}
          </Button>
        </Form>
      </details>
    </section>
  )
}
