import { ApiError } from '@switchyard/shared/errors'
import type { AddressPolicy } from '@switchyard/shared/net'
import type { ProviderType } from '@switchyard/shared/snapshot'
import type { z } from 'zod'
import { PROVIDER_SETTINGS } from '../api/schemas.ts'
import type { ProviderSecret } from './vault.server.ts'

// Rules for provider connections that the request schema alone cannot express: those that
// depend on the stored type (PATCH) or on the address policy.

function invalid(path: string, message: string): ApiError {
  return new ApiError('validation_failed', message, [{ path, message }])
}

/** Types whose base URL has no public default. */
const BASE_URL_REQUIRED: readonly ProviderType[] = ['azure-openai', 'openai-compatible']

/**
 * Save-time check of a base URL (the connect-time check on the resolved address is the real
 * guard): http(s), no credentials, and no literal non-public address unless the host is allowed.
 */
export function checkBaseUrl(policy: AddressPolicy, type: ProviderType, baseUrl: string | null): void {
  if (baseUrl === null) {
    if (BASE_URL_REQUIRED.includes(type)) throw invalid('baseUrl', `baseUrl is required for ${type} connections`)
    return
  }
  const url = new URL(baseUrl)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('baseUrl', 'baseUrl must be an http or https URL')
  if (url.username || url.password) throw invalid('baseUrl', 'credentials in the URL are not allowed')
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  if (policy.hostAllowed(url.hostname, port)) return
  try {
    policy.checkLiteral(url.hostname)
  } catch {
    throw invalid(
      'baseUrl',
      'baseUrl points to a private, loopback, link-local or otherwise non-public address; allow it with SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS',
    )
  }
}

/** Settings validated against the connection's type (PATCH replaces them whole). */
export function parseSettings(type: ProviderType, settings: unknown): Record<string, unknown> {
  const schema: z.ZodType = PROVIDER_SETTINGS[type]
  const result = schema.safeParse(settings ?? {})
  if (result.success) return result.data as Record<string, unknown>
  const details = result.error.issues.map((issue) => ({
    path: ['settings', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }))
  throw new ApiError('validation_failed', `invalid settings for a ${type} connection`, details)
}

export interface SecretPatch {
  apiKey?: string | undefined
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined
}

/** The replacement secret of a PATCH, checked against the type; undefined = keep the stored one. */
export function secretFromPatch(type: ProviderType, patch: SecretPatch): ProviderSecret | undefined {
  if (type === 'bedrock') {
    if (patch.apiKey !== undefined) throw invalid('apiKey', 'bedrock connections take credentials, not apiKey')
    return patch.credentials ? { kind: 'aws', ...patch.credentials } : undefined
  }
  if (patch.credentials !== undefined) throw invalid('credentials', `${type} connections take apiKey, not credentials`)
  if (patch.apiKey === undefined) return undefined
  if (patch.apiKey === '' && type !== 'openai-compatible') throw invalid('apiKey', 'apiKey must not be empty')
  return { kind: 'apiKey', apiKey: patch.apiKey }
}
