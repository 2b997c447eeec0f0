import { CONNECTION_NAME_REGEX, PROVIDER_TYPES, ROUTE_ALIAS_REGEX } from '@switchyard/shared/snapshot'
import { z } from 'zod'

// The admin API's provider-connection and virtual-key shapes (CONTRACT.md), re-exported by
// schemas.ts. The routes validate with these and openapi.json is generated from them.

const Timestamp = z.iso.datetime({ offset: true })
const JsonObject = z.record(z.string(), z.unknown())
export const HttpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((v) => !URL.canParse(v) || !/^[a-z]+:\/\/[^/?#]*@/i.test(v), 'credentials in the URL are not allowed')

export const ProviderName = z
  .string()
  .regex(CONNECTION_NAME_REGEX, 'lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters')

// Provider connections: one shape per type (a discriminated union on `type`). The key or
// credential is write-only: no response ever contains it.
const ApiKey = z.string().min(1).max(8192).describe('Write-only: sealed in the vault, never returned')

/** Every type's settings may tune its upstream timeouts; unset ones keep the defaults (shared/snapshot). */
export const TimeoutSettings = z
  .strictObject({
    connectMs: z.number().int().min(100).max(120_000).optional().describe('TCP + TLS connect (default 10 s)'),
    firstByteMs: z.number().int().min(100).max(900_000).optional().describe('Until the response headers (default 60 s)'),
    idleMs: z.number().int().min(100).max(900_000).optional().describe('Between two chunks of a body or stream (default 60 s)'),
    totalMs: z.number().int().min(1_000).max(3_600_000).optional().describe('The whole exchange (default 600 s)'),
  })
  .describe('Upstream timeouts of this connection, in milliseconds; each ends the attempt with a 504 (or an in-band error once streaming)')
const timeouts = { timeouts: TimeoutSettings.optional() }
const NoSettings = z.strictObject({ ...timeouts })

export const OpenAISettings = z.strictObject({
  ...timeouts,
  organization: z.string().min(1).max(200).optional().describe('Sent as OpenAI-Organization'),
  project: z.string().min(1).max(200).optional().describe('Sent as OpenAI-Project'),
})

export const AzureOpenAISettings = z.strictObject({
  ...timeouts,
  apiVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'an Azure OpenAI API version such as 2024-10-21'),
  deployments: z
    .record(z.string().min(1).max(300), z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an Azure deployment name'))
    .default({})
    .describe('Model alias → deployment name'),
})

export const BedrockSettings = z.strictObject({
  ...timeouts,
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/, 'an AWS region such as us-east-1'),
})

export const AwsCredentials = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'an AWS access key id'),
  secretAccessKey: z.string().min(1).max(256),
  sessionToken: z.string().min(1).max(8192).optional(),
}).describe('Write-only: sealed in the vault as one JSON document, never returned')

/** Settings per type: the create union and PATCH (which knows the type only from the row) both use it. */
export const PROVIDER_SETTINGS = {
  openai: OpenAISettings,
  anthropic: NoSettings,
  'azure-openai': AzureOpenAISettings,
  google: NoSettings,
  bedrock: BedrockSettings,
  'openai-compatible': NoSettings,
} as const satisfies Record<(typeof PROVIDER_TYPES)[number], z.ZodType>

const named = { name: ProviderName }

export const CreateProviderBody = z.discriminatedUnion('type', [
  z.object({ ...named, type: z.literal('openai'), apiKey: ApiKey, baseUrl: HttpUrl.optional().describe('Default https://api.openai.com/v1'), settings: OpenAISettings.optional() }),
  z.object({ ...named, type: z.literal('anthropic'), apiKey: ApiKey, baseUrl: HttpUrl.optional().describe('Default https://api.anthropic.com (no /v1)'), settings: NoSettings.optional() }),
  z.object({ ...named, type: z.literal('azure-openai'), apiKey: ApiKey, baseUrl: HttpUrl.describe('https://<resource>.openai.azure.com'), settings: AzureOpenAISettings }),
  z.object({ ...named, type: z.literal('google'), apiKey: ApiKey, baseUrl: HttpUrl.optional().describe('Default https://generativelanguage.googleapis.com'), settings: NoSettings.optional() }),
  z.object({ ...named, type: z.literal('bedrock'), credentials: AwsCredentials, baseUrl: HttpUrl.optional().describe('Default https://bedrock-runtime.<region>.amazonaws.com'), settings: BedrockSettings }),
  z.object({
    ...named,
    type: z.literal('openai-compatible'),
    apiKey: z.string().max(8192).describe('Write-only; may be empty for local servers that take no key'),
    baseUrl: HttpUrl.describe('Includes /v1, e.g. http://127.0.0.1:11434/v1'),
    settings: NoSettings.optional(),
  }),
])

export const UpdateProviderBody = z.strictObject({
  name: ProviderName.optional(),
  apiKey: z.string().max(8192).optional().describe('Replaces the key (not for bedrock)'),
  credentials: AwsCredentials.optional().describe('Replaces the AWS credential (bedrock only)'),
  baseUrl: HttpUrl.nullable().optional().describe('null = the provider default (not for azure-openai, openai-compatible)'),
  settings: JsonObject.optional().describe('Replaces the settings; validated against the connection type'),
})

export const ProviderResource = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(PROVIDER_TYPES),
  baseUrl: z.string().nullable(),
  keyHint: z.string().describe('Last four characters of the key (bedrock: of the access key id)'),
  settings: JsonObject,
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export const ConnectionTestResult = z.object({
  ok: z.boolean(),
  status: z.number().int().optional().describe('The provider\'s HTTP status, when it answered'),
  latencyMs: z.number().int(),
  message: z.string().describe('What happened; never contains the credential or the provider\'s response body'),
})

// Virtual keys.
const AllowedModel = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[^\s/]+(\/\S+)?$/, '`<connection>/<model>`, `<connection>/*` or a route alias')
  .refine((v) => !v.includes('/') || CONNECTION_NAME_REGEX.test(v.slice(0, v.indexOf('/'))), 'the part before the first / must be a connection name')
  .refine((v) => v.includes('/') || ROUTE_ALIAS_REGEX.test(v), 'an entry without a / is a route alias: ^[a-z0-9][a-z0-9._-]{0,62}$')

const Metadata = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 32, 'at most 32 entries')
  .describe('String → string, at most 32 entries (keys ≤ 64, values ≤ 512 characters)')

export const BUDGET_PERIODS = ['daily', 'weekly', 'monthly', 'total'] as const

export const VirtualKeyLimits = z
  .strictObject({
    rpm: z.number().int().min(1).max(10_000_000).optional().describe('Requests per minute'),
    tpm: z.number().int().min(1).max(10_000_000_000).optional().describe('Tokens per minute'),
    budgetUsd: z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, 'a decimal string such as "25.00"').optional(),
    budgetPeriod: z.enum(BUDGET_PERIODS).optional(),
  })
  .describe('Stored now; enforced by the data plane once budgets and rate limits land (a later release)')

const ExpiresAt = Timestamp.nullable().describe('Must be in the future; null = never')

export const CreateVirtualKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  allowedModels: z.array(AllowedModel).max(500).optional().describe('Empty or absent = every model of the team'),
  expiresAt: ExpiresAt.optional(),
  metadata: Metadata.optional(),
  ownerUserId: z.string().min(1).max(100).optional().describe('A member of the team; default the creating user'),
  limits: VirtualKeyLimits.optional(),
})

export const UpdateVirtualKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  allowedModels: z.array(AllowedModel).max(500).optional(),
  expiresAt: ExpiresAt.optional(),
  metadata: Metadata.optional(),
  ownerUserId: z.string().min(1).max(100).optional(),
  limits: VirtualKeyLimits.optional(),
})

export const RotateVirtualKeyBody = z.strictObject({
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .default(0)
    .describe('How long the old key keeps working (0 … 30 days); its expiry is never extended'),
})

export const VirtualKeyResource = z.object({
  id: z.string(),
  name: z.string(),
  keyHint: z.string(),
  allowedModels: z.array(z.string()),
  expiresAt: Timestamp.nullable(),
  metadata: z.record(z.string(), z.string()),
  limits: VirtualKeyLimits,
  ownerUserId: z.string().nullable(),
  createdById: z.string().nullable(),
  lastUsedAt: Timestamp.nullable().describe('Updated from request logs, at most once a minute'),
  rotatedToId: z.string().nullable().describe('Set when the key was rotated: the key that replaces it'),
  createdAt: Timestamp,
})

export const CreatedVirtualKeyResource = VirtualKeyResource.extend({
  key: z.string().describe('The virtual key. Shown only in this response; store it now.'),
})

export type VirtualKeyResource = z.infer<typeof VirtualKeyResource>
export type VirtualKeyLimits = z.infer<typeof VirtualKeyLimits>
export type CreateProviderBody = z.infer<typeof CreateProviderBody>
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>
export type ProviderResource = z.infer<typeof ProviderResource>
