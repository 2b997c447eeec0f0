import { useId, useState } from 'react'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { Field, SelectField } from './ui/field.tsx'
import { controlClasses, Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'

// The settings of a virtual key, shared by the create form and the detail page. Field names are
// what virtual-key-forms.server.ts reads.

export type FieldErrors = Record<string, string> | undefined

export interface VirtualKeyValues {
  name: string
  allowedModels: string[]
  expiresAt: string | null
  metadata: Record<string, string>
  limits: { rpm?: number | undefined; tpm?: number | undefined; budgetUsd?: string | undefined; budgetPeriod?: string | undefined }
}

/** The grace periods offered when rotating (seconds the old key keeps working). */
export const GRACE_PERIODS = [
  { seconds: 0, label: 'None: the old key stops now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
] as const

export const EMPTY_VIRTUAL_KEY: VirtualKeyValues = { name: '', allowedModels: [], expiresAt: null, metadata: {}, limits: {} }

export function VirtualKeyStatusBadge({ status }: { status: 'active' | 'expiring' | 'expired' }) {
  if (status === 'active') return <Badge tone="green">Active</Badge>
  if (status === 'expiring') return <Badge tone="amber">Expiring (rotated)</Badge>
  return <Badge tone="red">Expired</Badge>
}

function AllowedModels({ defaultValue, connections, error }: { defaultValue: string[]; connections: string[]; error?: string | undefined }) {
  const id = useId()
  const hint = connections.length
    ? `One per line or comma separated; empty = every model. Your connections: ${connections.map((c) => `${c}/*`).join(', ')}.`
    : 'One per line or comma separated, as <connection>/<model> or <connection>/*; empty = every model.'
  return (
    <div className="sm:col-span-2">
      <Label htmlFor={id}>Allowed models</Label>
      <textarea
        id={id}
        name="allowedModels"
        rows={3}
        defaultValue={defaultValue.join('\n')}
        placeholder={connections[0] ? `${connections[0]}/*` : 'openai/gpt-4o-mini'}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        className={controlClasses(Boolean(error), 'mt-1.5 font-mono')}
      />
      <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">{hint}</p>
      {error ? <p id={`${id}-error`} className="mt-1.5 text-sm text-red-600">{error}</p> : null}
    </div>
  )
}

function MetadataRows({ initial, error }: { initial: Record<string, string>; error?: string | undefined }) {
  const entries = Object.entries(initial)
  const [count, setCount] = useState(Math.max(2, entries.length + 1))
  return (
    <fieldset className="sm:col-span-2">
      <legend className="text-sm font-medium text-slate-800">Metadata (optional)</legend>
      <p className="mt-1 text-xs text-slate-500">Labels such as team or environment; recorded with every request made with this key.</p>
      <div className="mt-2 space-y-2">
        {Array.from({ length: count }, (_, i) => (
          <div key={i} className="grid grid-cols-2 gap-2">
            <Input name="metaKey" aria-label={`Metadata key ${i + 1}`} placeholder="key" defaultValue={entries[i]?.[0] ?? ''} />
            <Input name="metaValue" aria-label={`Metadata value ${i + 1}`} placeholder="value" defaultValue={entries[i]?.[1] ?? ''} />
          </div>
        ))}
      </div>
      <Button variant="ghost" size="sm" className="mt-2" onClick={() => setCount((c) => c + 1)}>
        + Add a row
      </Button>
      {error ? <p className="mt-1.5 text-sm text-red-600">{error}</p> : null}
    </fieldset>
  )
}

function Limits({ limits, errors }: { limits: VirtualKeyValues['limits']; errors: FieldErrors }) {
  return (
    <fieldset className="sm:col-span-2">
      <legend className="text-sm font-medium text-slate-800">Limits (optional)</legend>
      <p className="mt-1 text-xs text-slate-500">Stored now and enforced when budgets land in a coming release.</p>
      <div className="mt-2 grid gap-4 sm:grid-cols-4">
        <Field label="Requests / minute" name="rpm" inputMode="numeric" defaultValue={limits.rpm ?? ''} error={errors?.rpm} />
        <Field label="Tokens / minute" name="tpm" inputMode="numeric" defaultValue={limits.tpm ?? ''} error={errors?.tpm} />
        <Field label="Budget (USD)" name="budgetUsd" inputMode="decimal" placeholder="25.00" defaultValue={limits.budgetUsd ?? ''} error={errors?.budgetUsd} />
        <SelectField label="Budget period" name="budgetPeriod" defaultValue={limits.budgetPeriod ?? ''} error={errors?.budgetPeriod}>
          <option value="">—</option>
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
          <option value="monthly">Monthly</option>
          <option value="total">Total</option>
        </SelectField>
      </div>
    </fieldset>
  )
}

export function VirtualKeyFields(props: { values: VirtualKeyValues; connections: string[]; errors: FieldErrors; expiryFixed?: boolean }) {
  const { values, errors } = props
  return (
    <>
      <Field label="Name" name="name" required defaultValue={values.name} placeholder="checkout-service" error={errors?.name} />
      {props.expiryFixed ? (
        <p className="self-end text-sm text-slate-500">This key was rotated: it expires when its grace period ends.</p>
      ) : (
        <Field
          label="Expires on (optional)"
          name="expiresOn"
          type="date"
          defaultValue={values.expiresAt?.slice(0, 10) ?? ''}
          description="The key stops working at the end of this day (UTC). Empty = never."
          error={errors?.expiresOn}
        />
      )}
      <AllowedModels defaultValue={values.allowedModels} connections={props.connections} error={errors?.allowedModels} />
      <MetadataRows initial={values.metadata} error={errors?.metadata} />
      <Limits limits={values.limits} errors={errors} />
    </>
  )
}
