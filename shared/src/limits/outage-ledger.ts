import { randomUUID } from 'node:crypto'
import type { BudgetState, Limits, Reservation, ReservedBudget } from './ports.ts'

/** A budget window's identity across stores: its subject and the start of its period. */
export function windowId(budget: { key: string; windowStart: number }): string {
  return `${budget.key}|${budget.windowStart}`
}

/**
 * What Redis missed while it was away, for the resilient wrapper to replay when it is back:
 * never lost spend (G-BUD-08), never a spend counted twice while a tombstone can tell.
 */
export class OutageLedger {
  /**
   * Redis reservations whose settle (actual) or release (null) failed: replayed under their own
   * id, so Redis drops the reservation too and a settle that did land is not counted twice.
   * Bounded by the calls in flight when Redis went away.
   */
  private readonly unsettled = new Map<string, { reservation: Reservation; actual: number | null }>()
  /** Spend of calls admitted locally, summed per set of budget windows (bounded by those sets). */
  private readonly unsynced = new Map<string, { budgets: ReservedBudget[]; actual: number }>()

  settleLater(reservation: Reservation, actual: number): void {
    this.unsettled.set(reservation.id, { reservation, actual })
  }

  releaseLater(reservation: Reservation): void {
    if (!this.unsettled.has(reservation.id)) this.unsettled.set(reservation.id, { reservation, actual: null })
  }

  /** Spend Redis never had a reservation for. */
  owe(budgets: ReservedBudget[], actual: number): void {
    if (actual === 0) return
    const id = budgets.map(windowId).join('\n')
    const owed = this.unsynced.get(id)
    if (owed) owed.actual += actual
    else this.unsynced.set(id, { budgets, actual })
  }

  /** Replays everything into `shared`; false when it failed meanwhile (the rest waits for the next try). */
  async flush(shared: Limits, onStates: (states: readonly BudgetState[]) => void): Promise<boolean> {
    for (const [id, pending] of this.unsettled) {
      this.unsettled.delete(id)
      try {
        if (pending.actual === null) await shared.release(pending.reservation)
        else onStates((await shared.settle(pending.reservation, pending.actual)).budgets)
      } catch {
        this.unsettled.set(id, pending)
        return false
      }
    }
    for (const [id, owed] of this.unsynced) {
      // An id never reserved in Redis: settle adds the actual, as for a reservation that expired.
      const reservation: Reservation = { id: `replay-${randomUUID()}`, amount: 0, ttlMs: 60_000, store: 'redis', budgets: owed.budgets }
      this.unsynced.delete(id)
      try {
        onStates((await shared.settle(reservation, owed.actual)).budgets)
      } catch {
        this.owe(owed.budgets, owed.actual)
        return false
      }
    }
    return true
  }
}
