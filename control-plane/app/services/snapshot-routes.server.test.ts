import { describe, expect, it } from 'vitest'
import { compileRoutes } from './snapshot-routes.server.ts'

// The compiler's second check of routes: a route that names a connection its team lacks (or
// whose stored plan no longer validates) is left out of the snapshot, the others stay.

const target = (model: string) => ({ type: 'target', model })

describe('compileRoutes', () => {
  it('keeps valid routes and leaves out one naming an unknown or another team\'s connection', () => {
    const providers = [{ teamId: 't1', name: 'primary' }, { teamId: 't2', name: 'theirs' }]
    const { routes, skipped } = compileRoutes(
      [
        { teamId: 't1', alias: 'ok', version: 2, plan: { type: 'fallback', children: [target('primary/a')] }, cache: { mode: 'exact', ttlSeconds: 60 } },
        { teamId: 't1', alias: 'foreign', version: 1, plan: target('theirs/a'), cache: null },
        { teamId: 't1', alias: 'broken', version: 1, plan: { type: 'race', children: [] }, cache: null },
      ],
      providers,
    )
    expect(routes).toEqual([{ teamId: 't1', alias: 'ok', version: 2, plan: { type: 'fallback', children: [target('primary/a')] }, cache: { mode: 'exact', ttlSeconds: 60 } }])
    expect(skipped.map((s) => [s.alias, s.reason])).toEqual([
      ['foreign', 'it names unknown connections: theirs'],
      ['broken', 'its stored plan or cache no longer validates'],
    ])
  })
})
