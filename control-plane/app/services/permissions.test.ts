import { describe, expect, it } from 'vitest'
import { assignableRoles, can, canManageMember, lowerRole, PERMISSIONS, ROLES, tokenRoles } from './permissions.ts'

describe('permission table', () => {
  it('gives owners everything and viewers only reads', () => {
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(can('owner', permission)).toBe(true)
      expect(can('viewer', permission)).toBe(permission.endsWith('.read') && permission !== 'audit.read')
    }
  })

  it('lets members create virtual keys but not touch the vault or the team', () => {
    expect(can('member', 'virtualKeys.write')).toBe(true)
    expect(can('member', 'providers.write')).toBe(false)
    expect(can('member', 'members.manage')).toBe(false)
    expect(can('admin', 'team.transferOwnership')).toBe(false)
  })

  it('never lets anyone hand out the owner role', () => {
    for (const role of ROLES) expect(assignableRoles(role)).not.toContain('owner')
    expect(assignableRoles('member')).toEqual([])
  })
})

describe('managing members and minting tokens', () => {
  it('manages only roles strictly below your own', () => {
    expect(canManageMember('owner', 'admin')).toBe(true)
    expect(canManageMember('admin', 'member')).toBe(true)
    expect(canManageMember('admin', 'admin')).toBe(false)
    expect(canManageMember('admin', 'owner')).toBe(false)
    expect(canManageMember('member', 'viewer')).toBe(false)
  })

  it('mints tokens up to your own role, and caps a token at its holder\'s role', () => {
    expect(tokenRoles('owner')).toEqual(['owner', 'admin', 'member', 'viewer'])
    expect(tokenRoles('admin')).toEqual(['admin', 'member', 'viewer'])
    expect(tokenRoles('member')).toEqual([])
    expect(lowerRole('owner', 'viewer')).toBe('viewer')
    expect(lowerRole('member', 'admin')).toBe('member')
  })
})
