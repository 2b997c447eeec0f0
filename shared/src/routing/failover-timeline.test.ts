import { describe, expect, it } from 'vitest'
import { createMemoryRoutingStore } from './memory-store.ts'
import type { BreakerConfig } from './ports.ts'
import { startRoutingState } from './routing-state.ts'

// failoverbench S15 (G-REL-15) at the level of the primitives, on a simulated clock: primary
// down for 60 s, 20 requests every 4 s, each request tries the primary when its breaker allows
// and falls back otherwise (or after a failure). What the fallback strategy will see once wired.
async function s15(breaker: BreakerConfig) {
  let now = 0
  const state = await startRoutingState({ store: createMemoryRoutingStore(), clock: () => now, syncIntervalMs: 3_600_000, breaker })
  const group = ['primary', 'fallback']
  let duringOutage = 0
  let primaryAttemptsDuringOutage = 0
  let backAt: number | null = null
  for (now = 0; now <= 180_000; now += 250) {
    // The sync tick (every 250 ms in production) claims probes that fell due.
    await state.sync()
    await new Promise((r) => setImmediate(r))
    if (now % 4000 !== 0) continue
    const down = now < 60_000
    for (let i = 0; i < 20; i++) {
      if (down) duringOutage += 1
      if (state.breakers.allow('primary') === 'open') continue
      if (down) primaryAttemptsDuringOutage += 1
      state.breakers.record('primary', down ? 'failure' : 'success', group)
      if (!down) backAt ??= now
    }
  }
  await state.close()
  return { primaryShare: primaryAttemptsDuringOutage / duringOutage, backAfterRecoveryMs: (backAt ?? Infinity) - 60_000 }
}

describe('G-REL-15 failoverbench S15 timeline (primary down 60 s)', () => {
  it("with failedProbeCooldown 'same': ≥ 95 % to the fallback during the outage, back within 30 s", async () => {
    const { primaryShare, backAfterRecoveryMs } = await s15({ failedProbeCooldown: 'same' })
    // 5 failures eject it, then one probe per 30 s cool-down: 7 attempts of 300.
    expect(primaryShare).toBeLessThanOrEqual(0.05)
    expect(backAfterRecoveryMs).toBeLessThanOrEqual(30_000)
  })

  it("with the default 'double' the failed probe at ~30 s pushes the next one to ~90 s", async () => {
    const { primaryShare, backAfterRecoveryMs } = await s15({})
    expect(primaryShare).toBeLessThanOrEqual(0.05)
    // One doubled cool-down after the failed probe, plus the 4 s request interval: 32 s.
    expect(backAfterRecoveryMs).toBe(32_000)
  })
})
