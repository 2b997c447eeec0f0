import { describe, expect, it } from 'vitest'
import { safeRedirect } from './auth.server.ts'

describe('safeRedirect (redirectTo after login/signup)', () => {
  it('keeps same-origin paths, normalised', () => {
    expect(safeRedirect('/invites/abc?x=1#y')).toBe('/invites/abc?x=1#y')
    expect(safeRedirect('/teams/a/../b')).toBe('/teams/b')
    expect(safeRedirect('/%09/host')).toBe('/%09/host') // a literal %09 stays a path on this origin
  })

  it('refuses anything a browser would take to another origin', () => {
    for (const to of ['/\t/evil.example', '/\n/evil.example', '//evil.example', '/\\evil.example', '/.//evil.example', '\\/evil.example',
      'https://evil.example', ' //evil.example', 'javascript:alert(1)', '', null, undefined]) {
      expect(safeRedirect(to, '/home'), JSON.stringify(to)).toBe('/home')
    }
  })
})
