import { type BreakerRecord, type BreakerTransition, type BreakerTransitionResult, CLOSED, type ParsedBreakerConfig } from './ports.ts'

// The breaker's transitions as pure functions: the memory store applies them to its Maps, a
// replica applies them to its local view while Redis is away, and lua.ts BREAKER_TRANSITION is
// their twin in Redis. Keep the three in step (routing.contract.test.ts runs them all).

export function cooldownMs(openings: number, config: ParsedBreakerConfig): number {
  return Math.min(config.maxCooldownMs, config.baseCooldownMs * 2 ** Math.min(Math.max(openings - 1, 0), 30))
}

/** At least one, at most `fraction` of the group (G-REL-15: ≤ 50 %, ≥ 1). */
export function maxEjected(groupSize: number, config: ParsedBreakerConfig): number {
  return Math.max(1, Math.floor(groupSize * config.maxEjectedFraction))
}

const refuse = (record: BreakerRecord): BreakerTransitionResult => ({ applied: false, record })

export function applyTransition(
  t: BreakerTransition,
  current: BreakerRecord | null,
  recordOf: (targetId: string) => BreakerRecord | null,
  config: ParsedBreakerConfig,
): BreakerTransitionResult {
  const cur = current ?? CLOSED
  const generation = cur.generation + 1
  switch (t.op) {
    case 'open': {
      if (cur.state !== 'closed') return refuse(cur)
      const group = new Set([...t.group, t.targetId])
      let ejected = 0
      for (const id of group) if (id !== t.targetId && (recordOf(id)?.state ?? 'closed') !== 'closed') ejected += 1
      if (ejected + 1 > maxEjected(group.size, config)) return refuse(cur)
      const fresh = cur.closedAt > 0 && t.now - cur.closedAt >= config.resetAfterMs
      const openings = (fresh ? 0 : cur.openings) + 1
      return { applied: true, record: { ...cur, state: 'open', openUntil: t.now + cooldownMs(openings, config), openings, generation, holder: '', probeUntil: 0 } }
    }
    case 'claim': {
      const due = (cur.state === 'open' && t.now >= cur.openUntil) || (cur.state === 'half-open' && t.now >= cur.probeUntil)
      if (!due) return refuse(cur)
      return { applied: true, record: { ...cur, state: 'half-open', holder: t.replicaId, probeUntil: t.now + config.probeTimeoutMs, generation } }
    }
    case 'close':
      if (cur.state !== 'half-open' || cur.holder !== t.replicaId) return refuse(cur)
      return { applied: true, record: { ...cur, state: 'closed', openUntil: 0, closedAt: t.now, holder: '', probeUntil: 0, generation } }
    case 'reopen': {
      if (cur.state !== 'half-open' || cur.holder !== t.replicaId) return refuse(cur)
      const openings = cur.openings + (config.failedProbeCooldown === 'double' ? 1 : 0)
      return { applied: true, record: { ...cur, state: 'open', openUntil: t.now + cooldownMs(openings, config), openings, holder: '', probeUntil: 0, generation } }
    }
  }
}
