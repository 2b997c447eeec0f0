import type { z } from 'zod'
import { CreateVirtualKeyBody, UpdateVirtualKeyBody } from '../api/schemas.ts'
import { GRACE_PERIODS } from '../components/virtual-key-fields.tsx'
import { formInt, formList, formText, zodFieldErrors } from './console-actions.server.ts'

// The console's virtual-key forms → the admin API's bodies (same schemas), and the API's error
// paths → the form's field names.


/** `allowedModels.2` → `allowedModels`, `metadata.env` → `metadata`, `limits.rpm` → `rpm`. */
export function virtualKeyFieldOf(path: string): string {
  if (path.startsWith('allowedModels')) return 'allowedModels'
  if (path.startsWith('metadata')) return 'metadata'
  if (path === 'limits') return 'rpm'
  if (path === 'expiresAt') return 'expiresOn'
  return path.replace(/^limits\./, '')
}

function metadataOf(form: FormData): Record<string, string> {
  const keys = form.getAll('metaKey')
  const values = form.getAll('metaValue')
  const out: Record<string, string> = {}
  keys.forEach((k, i) => {
    const key = typeof k === 'string' ? k.trim() : ''
    const v = values[i]
    const value = typeof v === 'string' ? v.trim() : ''
    if (key || value) out[key] = value
  })
  return out
}

function limitsOf(form: FormData) {
  const entries = {
    rpm: formInt(form, 'rpm'),
    tpm: formInt(form, 'tpm'),
    budgetUsd: formText(form, 'budgetUsd'),
    budgetPeriod: formText(form, 'budgetPeriod'),
  }
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined))
}

/** A `YYYY-MM-DD` date: the key works until the end of that day (UTC). Empty → null (never). */
function expiryOf(form: FormData): string | null | undefined {
  const date = formText(form, 'expiresOn')
  if (date === undefined) return null
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59.999Z` : date
}

function settingsOf(form: FormData, withExpiry: boolean) {
  const allowedModels = formList(form, 'allowedModels').flatMap((v) => v.split(/[\s,]+/)).filter(Boolean)
  return {
    name: formText(form, 'name') ?? '',
    allowedModels,
    metadata: metadataOf(form),
    limits: limitsOf(form),
    ...(withExpiry ? { expiresAt: expiryOf(form) } : {}),
  }
}

type Parsed<T> = { ok: true; body: T } | { ok: false; fieldErrors: Record<string, string> }

function parsed<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (result.success) return { ok: true, body: result.data }
  const fieldErrors = zodFieldErrors(result.error, virtualKeyFieldOf)
  if (fieldErrors.expiresOn) fieldErrors.expiresOn = 'Pick a date in the future, or leave it empty for no expiry.'
  return { ok: false, fieldErrors }
}

export function parseCreateVirtualKeyForm(form: FormData): Parsed<z.infer<typeof CreateVirtualKeyBody>> {
  return parsed(CreateVirtualKeyBody.safeParse(settingsOf(form, true)))
}

/** `withExpiry` false for a rotated key (its expiry is fixed by the grace period). */
export function parseUpdateVirtualKeyForm(form: FormData, withExpiry: boolean): Parsed<z.infer<typeof UpdateVirtualKeyBody>> {
  return parsed(UpdateVirtualKeyBody.safeParse(settingsOf(form, withExpiry)))
}

export function parseGracePeriod(form: FormData): number | null {
  const seconds = Number(formText(form, 'gracePeriodSeconds') ?? '0')
  return GRACE_PERIODS.some((g) => g.seconds === seconds) ? seconds : null
}

export type VirtualKeyStatus = 'active' | 'expiring' | 'expired'

/** Active; expiring = rotated and still in its grace period; expired. */
export function virtualKeyStatus(row: { expiresAt: Date | null; rotatedToId: string | null }, now = Date.now()): VirtualKeyStatus {
  if (row.expiresAt && row.expiresAt.getTime() <= now) return 'expired'
  return row.rotatedToId ? 'expiring' : 'active'
}
