import { CONNECTION_NAME_REGEX, PROVIDER_TYPES } from '@switchyard/shared/snapshot'
import { REQUEST_OUTCOMES } from '@switchyard/shared/events'
import { z } from 'zod'

// The admin API's request and response shapes (CONTRACT.md). The routes validate with these
// and openapi.json is generated from them, so the document cannot drift from the code.

const HttpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname }).max(2048)
const Timestamp = z.iso.datetime({ offset: true })
const JsonObject = z.record(z.string(), z.unknown())

export const ProviderName = z
  .string()
  .regex(CONNECTION_NAME_REGEX, 'lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters')

export const CreateProviderBody = z.object({
  name: ProviderName,
  type: z.enum(PROVIDER_TYPES),
  apiKey: z.string().min(1).max(8192),
  baseUrl: HttpUrl.optional(),
  settings: JsonObject.optional(),
})

export const UpdateProviderBody = z.object({
  name: ProviderName.optional(),
  apiKey: z.string().min(1).max(8192).optional(),
  baseUrl: HttpUrl.nullable().optional(),
  settings: JsonObject.optional(),
})

export const ProviderResource = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(PROVIDER_TYPES),
  baseUrl: z.string().nullable(),
  keyHint: z.string(),
  settings: JsonObject,
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export const CreateVirtualKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  allowedModels: z.array(z.string().min(1).max(300)).max(500).optional(),
  expiresAt: Timestamp.nullable().optional(),
  metadata: JsonObject.optional(),
})

export const VirtualKeyResource = z.object({
  id: z.string(),
  name: z.string(),
  keyHint: z.string(),
  allowedModels: z.array(z.string()),
  expiresAt: Timestamp.nullable(),
  metadata: JsonObject,
  createdAt: Timestamp,
})

export const CreatedVirtualKeyResource = VirtualKeyResource.extend({
  key: z.string().describe('The virtual key. Shown only in this response; store it now.'),
})

export const RequestLogResource = z.object({
  id: z.string(),
  requestId: z.string(),
  createdAt: Timestamp,
  virtualKeyId: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  endpoint: z.string(),
  stream: z.boolean(),
  status: z.number().int(),
  outcome: z.enum(REQUEST_OUTCOMES),
  latencyMs: z.number().int(),
  ttftMs: z.number().int().nullable(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  costUsd: z.string().nullable().describe('Exact cost in USD as a decimal string'),
  errorCode: z.string().nullable(),
})

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
})

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}

export type ProviderResource = z.infer<typeof ProviderResource>
export type VirtualKeyResource = z.infer<typeof VirtualKeyResource>
export type RequestLogResource = z.infer<typeof RequestLogResource>
