import { REQUEST_OUTCOMES } from '@switchyard/shared/events'
import { z } from 'zod'
import { ROLES } from '../services/permissions.ts'

export * from './provider-schemas.ts'

// The admin API's request and response shapes (CONTRACT.md). The routes validate with these
// and openapi.json is generated from them, so the document cannot drift from the code.

const Timestamp = z.iso.datetime({ offset: true })
const JsonObject = z.record(z.string(), z.unknown())

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

const LogStatusFilter = z
  .string()
  .regex(/^[1-5](xx|\d\d)$/, 'an HTTP status (429) or a class (2xx, 4xx, 5xx)')
  .transform((v) => (v.endsWith('xx') ? Number(v[0]) : Number(v)))

/** GET /logs: the list query plus filters, all ANDed (the console's logs page uses the same). */
export const LogListQuery = ListQuery.extend({
  from: Timestamp.optional().describe('Only requests at or after this time'),
  to: Timestamp.optional().describe('Only requests before this time'),
  status: LogStatusFilter.optional().describe('An HTTP status (429) or a class (2xx, 4xx, 5xx)'),
  outcome: z.enum(REQUEST_OUTCOMES).optional(),
  model: z.string().min(1).max(200).optional().describe('The model the provider reported, exactly'),
  provider: z.string().min(1).max(100).optional().describe('The provider connection name'),
  virtualKeyId: z.string().min(1).max(100).optional(),
})
export type LogListQuery = z.infer<typeof LogListQuery>

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}

export type RequestLogResource = z.infer<typeof RequestLogResource>

// Teams, members, invites, admin tokens, audit events.
const Role = z.enum(ROLES)
const GrantableRole = z.enum(['admin', 'member', 'viewer']).describe('Never owner: ownership moves only by transfer')
const TeamName = z.string().trim().min(1).max(100)

export const TeamResource = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string().describe('Derived from the name at creation; stays when the team is renamed'),
  ownerUserId: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export const UpdateTeamBody = z.strictObject({ name: TeamName })

export const TransferOwnershipBody = z.strictObject({
  userId: z.string().min(1).max(100).describe('A member of the team; the current owner becomes an admin'),
})

export const DeleteTeamQuery = z.object({
  confirm: z.string().min(1).max(100).describe('The team\'s slug, repeated to confirm'),
})

export const MemberResource = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: Timestamp,
})

export const UpdateMemberBody = z.strictObject({ role: GrantableRole })

export const CreateInviteBody = z.strictObject({
  email: z.email().max(320),
  role: GrantableRole,
})

export const InviteResource = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  invitedById: z.string().nullable(),
  expiresAt: Timestamp,
  createdAt: Timestamp,
})

export const CreatedInviteResource = InviteResource.extend({
  url: z.string().describe('The invitation link (also emailed). Shown only in this response.'),
})

export const CreateAdminTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: Role.describe('At most the creator\'s own role'),
  expiresAt: Timestamp.nullable().optional().describe('When the token stops working (401 unauthorized from then on); never when omitted'),
})

export const AdminTokenResource = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  keyHint: z.string().describe('Last four characters of the token'),
  userId: z.string().describe('The member the token acts as'),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
})

export const CreatedAdminTokenResource = AdminTokenResource.extend({
  token: z.string().describe('The admin token. Shown only in this response; store it now.'),
})

export const AuditEventResource = z.object({
  id: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  actorUserId: z.string().nullable(),
  actorTokenId: z.string().nullable(),
  details: JsonObject.describe('Names, roles, types and hints; never secrets'),
  createdAt: Timestamp,
})

export type TeamResource = z.infer<typeof TeamResource>
export type MemberResource = z.infer<typeof MemberResource>
export type InviteResource = z.infer<typeof InviteResource>
export type AdminTokenResource = z.infer<typeof AdminTokenResource>
export type AuditEventResource = z.infer<typeof AuditEventResource>
