import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react'
import { Input } from './input.tsx'
import { Label } from './label.tsx'
import { Select } from './select.tsx'

// A labelled control with its description and inline error, wired for assistive technology:
// the label names the input, aria-describedby points at the description and the error, and
// aria-invalid marks it while the error shows.

interface FieldFrame {
  label: ReactNode
  error?: string | null | undefined
  description?: ReactNode
  className?: string
}

function useFieldIds(id?: string) {
  const generated = useId()
  const base = id ?? generated
  return { id: base, descriptionId: `${base}-description`, errorId: `${base}-error` }
}

function Frame(props: FieldFrame & { ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  const { ids } = props
  return (
    <div className={props.className}>
      <Label htmlFor={ids.id}>{props.label}</Label>
      <div className="mt-1.5">{props.children}</div>
      {props.description ? (
        <p id={ids.descriptionId} className="mt-1.5 text-xs text-slate-500">
          {props.description}
        </p>
      ) : null}
      {props.error ? (
        <p id={ids.errorId} className="mt-1.5 text-sm text-red-600">
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

function describedBy(frame: FieldFrame, ids: ReturnType<typeof useFieldIds>): string | undefined {
  const parts = [frame.description ? ids.descriptionId : null, frame.error ? ids.errorId : null].filter(Boolean)
  return parts.length ? parts.join(' ') : undefined
}

export function Field({ label, error, description, className, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(input.id)
  const frame = { label, error, description, className }
  return (
    <Frame {...frame} ids={ids}>
      <Input {...input} id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(frame, ids)} />
    </Frame>
  )
}

export function SelectField({
  label,
  error,
  description,
  className,
  children,
  ...select
}: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useFieldIds(select.id)
  const frame = { label, error, description, className }
  return (
    <Frame {...frame} ids={ids}>
      <Select {...select} id={ids.id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(frame, ids)}>
        {children}
      </Select>
    </Frame>
  )
}
