import type { AuthorizationWorld } from '@switchyard/control-plane/testing/authorization-world'
import type { Permission } from '@switchyard/control-plane/services/permissions'

// THE console route table of the authorization matrix (console-authz.test.ts): one entry per
// file in control-plane/app/routes, so a new route module cannot be forgotten. Team routes
// declare the permission of their loader and of each action intent (from permissions.ts);
// routes outside /teams/:team declare what an anonymous visitor gets.

type Fields = (w: AuthorizationWorld) => Record<string, string>

export interface ActionCase {
  intent: string
  /** The permission of the table; 'team.read' for anything every member may do. */
  permission: Permission
  fields?: Fields
  /** It changes state when allowed: each identity gets a fresh world. */
  mutates?: boolean
  /** Names one of team A's resources (path or body): team B's admin, on its own team, gets 404. */
  crossTeam?: boolean
}

export interface TeamRoute {
  kind: 'team'
  /** The path under /teams/<slug>, given team A's ids. */
  path: (w: AuthorizationWorld) => string
  /** An index route: actions are posted to `?index`. */
  index?: boolean
  loader: Permission
  actions: ActionCase[]
}

/** What an anonymous visitor gets: a status, or a redirect to the login page / elsewhere. */
export type AnonymousOutcome = number | 'login' | 'redirect'

export interface PublicRoute {
  kind: 'public'
  path: string
  get?: AnonymousOutcome
  post?: AnonymousOutcome
}

/** A pathless layout: no URL of its own, exercised through its children. */
export interface LayoutRoute {
  kind: 'layout'
  coveredBy: string[]
}

export type RouteSpec = TeamRoute | PublicRoute | LayoutRoute

const id = (pick: (w: AuthorizationWorld) => string, extra: Record<string, string> = {}): Fields => (w) => ({ id: pick(w), ...extra })

export const CONSOLE_ROUTES: Record<string, RouteSpec> = {
  // Outside /teams/:team: anonymous handling only.
  '_auth.tsx': { kind: 'layout', coveredBy: ['_auth.login.tsx', '_auth.signup.tsx', '_auth.forgot-password.tsx'] },
  '_auth.login.tsx': { kind: 'public', path: '/login', get: 200 },
  '_auth.signup.tsx': { kind: 'public', path: '/signup', get: 200 },
  '_auth.forgot-password.tsx': { kind: 'public', path: '/forgot-password', get: 200 },
  '_auth.reset-password.$token.tsx': { kind: 'public', path: '/reset-password/not-a-token', get: 200 },
  '_auth.verify-email.$token.tsx': { kind: 'public', path: '/verify-email/not-a-token', get: 200 },
  '_index.tsx': { kind: 'public', path: '/', get: 'login' },
  'logout.tsx': { kind: 'public', path: '/logout', get: 'redirect', post: 'login' },
  'resend-verification.tsx': { kind: 'public', path: '/resend-verification', get: 'redirect', post: 'login' },
  'settings.tsx': { kind: 'public', path: '/settings', get: 'login', post: 'login' },
  'status.tsx': { kind: 'public', path: '/status', get: 200 },
  'teams.new.tsx': { kind: 'public', path: '/teams/new', get: 'login', post: 'login' },
  'invites.$token.tsx': { kind: 'public', path: '/invites/not-a-token', get: 404, post: 'login' },

  // The team layout and pages.
  'teams.$team.tsx': { kind: 'team', path: () => '', loader: 'team.read', actions: [] },
  'teams.$team._index.tsx': { kind: 'team', path: () => '', index: true, loader: 'team.read', actions: [] },
  'teams.$team.outbox.tsx': { kind: 'team', path: () => '/outbox', loader: 'team.read', actions: [] },
  'teams.$team.logs._index.tsx': { kind: 'team', path: () => '/logs', index: true, loader: 'logs.read', actions: [] },
  'teams.$team.logs.$id.tsx': { kind: 'team', path: (w) => `/logs/${w.ids.log}`, loader: 'logs.read', actions: [] },
  'teams.$team.audit.tsx': { kind: 'team', path: () => '/audit', loader: 'audit.read', actions: [] },
  'teams.$team.settings.tsx': {
    kind: 'team', path: () => '/settings', loader: 'team.read',
    actions: [
      { intent: 'rename', permission: 'team.update', fields: () => ({ name: 'Matrix' }), mutates: true },
      { intent: 'delete', permission: 'team.delete', fields: (w) => ({ confirm: w.a.slug }), mutates: true },
    ],
  },
  'teams.$team.members.tsx': {
    kind: 'team', path: () => '/members', loader: 'members.read',
    actions: [
      { intent: 'invite', permission: 'members.manage', fields: () => ({ email: `m-${Date.now()}@example.test`, role: 'viewer' }), mutates: true },
      { intent: 'revoke-invite', permission: 'members.manage', fields: id((w) => w.ids.invite), mutates: true, crossTeam: true },
      { intent: 'change-role', permission: 'members.manage', fields: (w) => ({ userId: w.target.userId, role: 'member' }), mutates: true, crossTeam: true },
      { intent: 'remove', permission: 'members.manage', fields: (w) => ({ userId: w.target.userId }), mutates: true, crossTeam: true },
      { intent: 'leave', permission: 'team.read', mutates: true },
      { intent: 'transfer', permission: 'team.transferOwnership', fields: (w) => ({ userId: w.target.userId, confirm: 'yes' }), mutates: true, crossTeam: true },
    ],
  },
  'teams.$team.providers._index.tsx': {
    kind: 'team', path: () => '/providers', index: true, loader: 'providers.read',
    actions: [{ intent: 'create', permission: 'providers.write', fields: () => ({ type: 'openai', name: `m-${Date.now()}`, apiKey: 'sk-matrix-2222', baseUrl: 'http://127.0.0.1:9/v1' }), mutates: true }],
  },
  'teams.$team.providers.$id.tsx': {
    kind: 'team', path: (w) => `/providers/${w.ids.provider}`, loader: 'providers.read',
    actions: [
      { intent: 'update', permission: 'providers.write', mutates: true, crossTeam: true },
      { intent: 'rotate-key', permission: 'providers.write', mutates: true, crossTeam: true },
      { intent: 'test', permission: 'providers.write', crossTeam: true },
      { intent: 'delete', permission: 'providers.write', mutates: true, crossTeam: true },
    ],
  },
  'teams.$team.virtual-keys._index.tsx': {
    kind: 'team', path: () => '/virtual-keys', index: true, loader: 'virtualKeys.read',
    actions: [{ intent: 'create', permission: 'virtualKeys.write', fields: () => ({ name: 'matrix' }), mutates: true }],
  },
  'teams.$team.virtual-keys.$id.tsx': {
    kind: 'team', path: (w) => `/virtual-keys/${w.ids.virtualKey}`, loader: 'virtualKeys.read',
    actions: [
      { intent: 'update', permission: 'virtualKeys.write', fields: () => ({ name: 'renamed' }), mutates: true, crossTeam: true },
      { intent: 'rotate', permission: 'virtualKeys.write', fields: () => ({ gracePeriodSeconds: '0' }), mutates: true, crossTeam: true },
      { intent: 'revoke', permission: 'virtualKeys.write', mutates: true, crossTeam: true },
    ],
  },
  'teams.$team.api-tokens.tsx': {
    kind: 'team', path: () => '/api-tokens', loader: 'adminTokens.manage',
    actions: [
      { intent: 'create', permission: 'adminTokens.manage', fields: () => ({ name: 'matrix', role: 'viewer' }), mutates: true },
      { intent: 'revoke', permission: 'adminTokens.manage', fields: id((w) => w.ids.adminToken), mutates: true, crossTeam: true },
    ],
  },
  'teams.$team.routes._index.tsx': {
    kind: 'team', path: () => '/routes', index: true, loader: 'routes.read',
    actions: [{ intent: 'create', permission: 'routes.write', fields: () => ({ alias: 'matrix-route' }) }],
  },
  'teams.$team.routes.$alias.tsx': {
    kind: 'team', path: (w) => `/routes/${w.ids.route}`, loader: 'routes.read',
    actions: [
      // Not crossTeam: an alias is a name in the caller's own team (team B saving it makes its own route).
      { intent: 'save', permission: 'routes.write', fields: (w) => ({ plan: JSON.stringify({ type: 'target', model: `${w.connection}/gpt-4o` }) }), mutates: true },
      { intent: 'rollback', permission: 'routes.write', fields: () => ({ version: '1' }), mutates: true, crossTeam: true },
      { intent: 'delete', permission: 'routes.write', mutates: true, crossTeam: true },
    ],
  },
}
