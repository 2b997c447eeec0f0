// Property tests re-chunk recorded streams at random byte boundaries. The generator is seeded
// so a failure is reproducible from its seed.

export { mulberry32 } from '@switchyard/shared/testing'

/** Sorted, distinct cut positions inside a buffer of `length` bytes (up to `maxCuts` of them). */
export function randomCuts(length: number, random: () => number, maxCuts = 60): number[] {
  const cuts = new Set<number>()
  const count = Math.floor(random() * Math.min(length, maxCuts))
  for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * (length - 1)))
  return [...cuts].sort((a, b) => a - b)
}
