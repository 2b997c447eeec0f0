import { deleteAdminToken, listAdminTokens, postAdminToken } from './routes/admin-tokens.server.ts'
import { listAuditEvents } from './routes/audit.server.ts'
import { deleteInvite, listInvites, postInvite } from './routes/invites.server.ts'
import { deleteMember, listMembers, patchMember } from './routes/members.server.ts'
import { getTeam, patchTeam, postLeaveTeam, postTransferOwnership, removeTeam } from './routes/teams.server.ts'
import type { RouteDefinition } from './router.server.ts'
import {
  AdminTokenResource,
  AuditEventResource,
  CreateAdminTokenBody,
  CreatedAdminTokenResource,
  CreatedInviteResource,
  CreateInviteBody,
  DeleteTeamQuery,
  InviteResource,
  listOf,
  ListQuery,
  MemberResource,
  TeamResource,
  TransferOwnershipBody,
  UpdateMemberBody,
  UpdateTeamBody,
} from './schemas.ts'

// The admin API's team administration: the token's team, its members, invitations, admin
// tokens and audit trail. Part of ADMIN_ROUTES (routes.server.ts).
export const TEAM_ROUTES: RouteDefinition[] = [
  {
    method: 'GET', path: '/team', operationId: 'getTeam', permission: 'team.read', tag: 'team',
    summary: 'Get the team the token belongs to', status: 200, response: TeamResource, handler: getTeam,
  },
  {
    method: 'PATCH', path: '/team', operationId: 'updateTeam', permission: 'team.update', tag: 'team',
    summary: 'Rename the team (its slug stays)', body: UpdateTeamBody, status: 200, response: TeamResource, handler: patchTeam,
  },
  {
    method: 'DELETE', path: '/team', operationId: 'deleteTeam', permission: 'team.delete', tag: 'team',
    summary: 'Delete the team and everything it owns (owner only; `?confirm=<slug>`)', query: DeleteTeamQuery, status: 204, handler: removeTeam,
  },
  {
    method: 'POST', path: '/team/transfer-ownership', operationId: 'transferTeamOwnership', permission: 'team.transferOwnership', tag: 'team',
    summary: 'Make another member the owner; the current owner becomes an admin',
    body: TransferOwnershipBody, status: 200, response: TeamResource, handler: postTransferOwnership,
  },
  {
    method: 'POST', path: '/team/leave', operationId: 'leaveTeam', permission: 'team.read', tag: 'team',
    summary: 'Leave the team (not the owner); the caller\'s admin tokens for the team are revoked', status: 204, handler: postLeaveTeam,
  },
  {
    method: 'GET', path: '/members', operationId: 'listMembers', permission: 'members.read', tag: 'members',
    summary: 'List the team\'s members, newest first', query: ListQuery, status: 200, response: listOf(MemberResource), handler: listMembers,
  },
  {
    method: 'PATCH', path: '/members/{userId}', operationId: 'updateMember', permission: 'members.manage', tag: 'members',
    summary: 'Change a member\'s role (only members below your own role; never to or from owner)',
    body: UpdateMemberBody, status: 200, response: MemberResource, handler: patchMember,
  },
  {
    method: 'DELETE', path: '/members/{userId}', operationId: 'removeMember', permission: 'members.manage', tag: 'members',
    summary: 'Remove a member below your own role (never the owner); their admin tokens are revoked', status: 204, handler: deleteMember,
  },
  {
    method: 'GET', path: '/invites', operationId: 'listInvites', permission: 'members.manage', tag: 'invites',
    summary: 'List pending invitations, newest first', query: ListQuery, status: 200, response: listOf(InviteResource), handler: listInvites,
  },
  {
    method: 'POST', path: '/invites', operationId: 'createInvite', permission: 'members.manage', tag: 'invites',
    summary: 'Invite an email address (emails a one-time link valid 7 days; a pending invite to the same address is replaced)',
    body: CreateInviteBody, status: 201, response: CreatedInviteResource, handler: postInvite,
  },
  {
    method: 'DELETE', path: '/invites/{id}', operationId: 'revokeInvite', permission: 'members.manage', tag: 'invites',
    summary: 'Revoke a pending invitation', status: 204, handler: deleteInvite,
  },
  {
    method: 'GET', path: '/admin-tokens', operationId: 'listAdminTokens', permission: 'adminTokens.manage', tag: 'admin-tokens',
    summary: 'List live admin tokens (never the secret)', query: ListQuery, status: 200, response: listOf(AdminTokenResource), handler: listAdminTokens,
  },
  {
    method: 'POST', path: '/admin-tokens', operationId: 'createAdminToken', permission: 'adminTokens.manage', tag: 'admin-tokens',
    summary: 'Create an admin token for yourself with a role no higher than yours (the token is shown only in this response)',
    body: CreateAdminTokenBody, status: 201, response: CreatedAdminTokenResource, handler: postAdminToken,
  },
  {
    method: 'DELETE', path: '/admin-tokens/{id}', operationId: 'revokeAdminToken', permission: 'adminTokens.manage', tag: 'admin-tokens',
    summary: 'Revoke an admin token (401 from its next request on)', status: 204, handler: deleteAdminToken,
  },
  {
    method: 'GET', path: '/audit-events', operationId: 'listAuditEvents', permission: 'audit.read', tag: 'audit',
    summary: 'List the team\'s audit events, newest first (never secrets)', query: ListQuery, status: 200, response: listOf(AuditEventResource), handler: listAuditEvents,
  },
]
