import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServices, type TestServices } from '../testing/fixtures.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices()
})
afterAll(() => services.close())

describe('snapshot publisher', () => {
  it('publishes a valid snapshot, stores it by version and announces it', async () => {
    const announced: number[] = []
    const unsubscribe = await services.infra.snapshots.subscribe((v) => announced.push(v))
    const version = await services.publisher.publish()
    const json = await services.infra.snapshots.get(version)
    const snapshot = ConfigSnapshot.parse(JSON.parse(json ?? 'null'))
    expect(snapshot.version).toBe(version)
    const row = await services.db.configSnapshot.findUnique({ where: { version } })
    expect(row?.schemaVersion).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(announced).toContain(version)
    await unsubscribe()
  })

  it('allocates strictly increasing versions under concurrent publishes', async () => {
    const versions = await Promise.all(Array.from({ length: 8 }, () => services.publisher.publish()))
    const sorted = [...versions].sort((a, b) => a - b)
    expect(new Set(versions).size).toBe(8)
    // Each stored document carries its own version, and a later version never predates an earlier one.
    const rows = await services.db.configSnapshot.findMany({ where: { version: { in: versions } }, orderBy: { version: 'asc' } })
    expect(rows.map((r) => r.version)).toEqual(sorted)
    const published = rows.map((r) => Date.parse((r.document as { publishedAt: string }).publishedAt))
    expect(published).toEqual([...published].sort((a, b) => a - b))
    const latest = ConfigSnapshot.parse(JSON.parse((await services.infra.snapshots.getLatest()) ?? 'null'))
    expect(latest.version).toBeGreaterThanOrEqual(sorted.at(-1)!)
  })
})
