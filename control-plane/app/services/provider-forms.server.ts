import type { ProviderType } from '@switchyard/shared/snapshot'
import type { z } from 'zod'
import { CreateProviderBody, UpdateProviderBody } from '../api/schemas.ts'
import { formText, zodFieldErrors } from './console-actions.server.ts'

// The console's provider forms → the admin API's bodies (validated by the same schemas), and
// the API's error paths → the form's field names.

/** `settings.apiVersion` → `apiVersion`, `credentials.accessKeyId` → `accessKeyId`, deployments → one field. */
export function providerFieldOf(path: string): string {
  if (path.startsWith('settings.deployments')) return 'deployments'
  if (path === 'settings') return 'form'
  return path.replace(/^(settings|credentials)\./, '')
}

function deploymentsOf(form: FormData): Record<string, string> {
  const aliases = form.getAll('deploymentAlias')
  const names = form.getAll('deploymentName')
  const out: Record<string, string> = {}
  aliases.forEach((alias, i) => {
    const a = typeof alias === 'string' ? alias.trim() : ''
    const d = names[i]
    const name = typeof d === 'string' ? d.trim() : ''
    if (a || name) out[a] = name
  })
  return out
}

const SETTINGS: Partial<Record<ProviderType, (form: FormData) => Record<string, unknown>>> = {
  openai: (form) => ({ organization: formText(form, 'organization'), project: formText(form, 'project') }),
  'azure-openai': (form) => ({ apiVersion: formText(form, 'apiVersion') ?? '', deployments: deploymentsOf(form) }),
  bedrock: (form) => ({ region: formText(form, 'region') ?? '' }),
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
}

/** The settings object of `type`, or undefined for types without settings. */
export function settingsFromForm(type: ProviderType, form: FormData): Record<string, unknown> | undefined {
  const read = SETTINGS[type]
  return read ? withoutUndefined(read(form)) : undefined
}

function credentialsFromForm(form: FormData) {
  return withoutUndefined({
    accessKeyId: formText(form, 'accessKeyId') ?? '',
    secretAccessKey: formText(form, 'secretAccessKey') ?? '',
    sessionToken: formText(form, 'sessionToken'),
  })
}

function secretFromForm(type: ProviderType, form: FormData) {
  if (type === 'bedrock') return { credentials: credentialsFromForm(form) }
  return { apiKey: formText(form, 'apiKey') ?? '' }
}

type Parsed<T> = { ok: true; body: T } | { ok: false; fieldErrors: Record<string, string> }

function parsed<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  return result.success ? { ok: true, body: result.data } : { ok: false, fieldErrors: zodFieldErrors(result.error, providerFieldOf) }
}

export function parseCreateProviderForm(form: FormData): Parsed<z.infer<typeof CreateProviderBody>> {
  const type = formText(form, 'type') ?? ''
  const known = (CreateProviderBody.options.map((o) => o.shape.type.value) as string[]).includes(type)
  if (!known) return { ok: false, fieldErrors: { type: 'Choose a provider type.' } }
  const providerType = type as ProviderType
  const settings = settingsFromForm(providerType, form)
  return parsed(
    CreateProviderBody.safeParse({
      name: formText(form, 'name') ?? '',
      type: providerType,
      ...secretFromForm(providerType, form),
      ...(formText(form, 'baseUrl') ? { baseUrl: formText(form, 'baseUrl') } : {}),
      ...(settings ? { settings } : {}),
    }),
  )
}

/** Rename, base URL (empty = the provider's default) and settings. */
export function parseUpdateProviderForm(type: ProviderType, form: FormData): Parsed<z.infer<typeof UpdateProviderBody>> {
  const settings = settingsFromForm(type, form)
  return parsed(
    UpdateProviderBody.safeParse({
      name: formText(form, 'name') ?? '',
      baseUrl: formText(form, 'baseUrl') ?? null,
      ...(settings ? { settings } : {}),
    }),
  )
}

/** A replacement key (or AWS credential). */
export function parseRotateProviderForm(type: ProviderType, form: FormData): Parsed<z.infer<typeof UpdateProviderBody>> {
  return parsed(UpdateProviderBody.safeParse(secretFromForm(type, form)))
}
