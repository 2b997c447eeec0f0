// The permission table: which role may do what, in one place. The console (loaders/actions),
// the admin API and the tests all read it; nothing else decides authorization.
//
//                         owner  admin  member  viewer
//   team.read               ✓      ✓      ✓       ✓
//   team.update             ✓      ✓
//   team.delete             ✓
//   team.transferOwnership  ✓
//   members.read            ✓      ✓      ✓       ✓
//   members.manage          ✓      ✓              (invite, change roles below owner, remove)
//   providers.read          ✓      ✓      ✓       ✓
//   providers.write         ✓      ✓
//   virtualKeys.read        ✓      ✓      ✓       ✓
//   virtualKeys.write       ✓      ✓      ✓
//   logs.read               ✓      ✓      ✓       ✓
//   audit.read              ✓      ✓
//   adminTokens.manage      ✓      ✓
//   routes.read             ✓      ✓      ✓       ✓
//   routes.write            ✓      ✓              (save a version, roll back, delete)
//
// An admin never grants or removes the owner role; only the owner transfers ownership.
// Managing one member (change role, remove) also needs to outrank them: the owner manages
// admins, members and viewers; an admin manages members and viewers (and may promote one
// to admin), never another admin. Everyone may leave a team except its owner.

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export type TeamRole = (typeof ROLES)[number]

const ALL: readonly TeamRole[] = ROLES
const MANAGERS: readonly TeamRole[] = ['owner', 'admin']

export const PERMISSIONS = {
  'team.read': ALL,
  'team.update': MANAGERS,
  'team.delete': ['owner'],
  'team.transferOwnership': ['owner'],
  'members.read': ALL,
  'members.manage': MANAGERS,
  'providers.read': ALL,
  'providers.write': MANAGERS,
  'virtualKeys.read': ALL,
  'virtualKeys.write': ['owner', 'admin', 'member'],
  'logs.read': ALL,
  'audit.read': MANAGERS,
  'adminTokens.manage': MANAGERS,
  'routes.read': ALL,
  'routes.write': MANAGERS,
} as const satisfies Record<string, readonly TeamRole[]>

export type Permission = keyof typeof PERMISSIONS

export function can(role: TeamRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly TeamRole[]).includes(role)
}

/** owner 3 > admin 2 > member 1 > viewer 0. */
export const ROLE_RANK: Record<TeamRole, number> = { owner: 3, admin: 2, member: 1, viewer: 0 }

/** The lower of two roles (a token never acts above its holder's current membership). */
export function lowerRole(a: TeamRole, b: TeamRole): TeamRole {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b
}

/** Whether `actor` may change the role of, or remove, a member holding `target` (someone else). */
export function canManageMember(actor: TeamRole, target: TeamRole): boolean {
  return can(actor, 'members.manage') && ROLE_RANK[target] < ROLE_RANK[actor]
}

/** Roles `role` may hand out (invites, role changes): never above itself, never owner. */
export function assignableRoles(role: TeamRole): TeamRole[] {
  return can(role, 'members.manage') ? ['admin', 'member', 'viewer'] : []
}

/** Roles an admin token minted by `role` may carry: never above its creator's (an owner may mint owner tokens). */
export function tokenRoles(role: TeamRole): TeamRole[] {
  return can(role, 'adminTokens.manage') ? ROLES.filter((r) => ROLE_RANK[r] <= ROLE_RANK[role]) : []
}
