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
//
// An admin never grants or removes the owner role; only the owner transfers ownership.

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
} as const satisfies Record<string, readonly TeamRole[]>

export type Permission = keyof typeof PERMISSIONS

export function can(role: TeamRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly TeamRole[]).includes(role)
}

/** Roles `role` may hand out (invites, role changes, admin tokens): never above itself, never owner. */
export function assignableRoles(role: TeamRole): TeamRole[] {
  return can(role, 'members.manage') ? ['admin', 'member', 'viewer'] : []
}
