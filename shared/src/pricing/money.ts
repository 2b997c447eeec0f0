// Money is integer nano-USD (bigint) end to end; the API shows plain decimal strings.
// FEMTO_PER_NANO: costOf works in femto-USD, the smallest amount a nano-USD-per-million-tokens
// price produces for one token, and rounds to nano-USD once.

export const NANOS_PER_USD = 1_000_000_000n
export const FEMTO_PER_NANO = 1_000_000n

/** `25000n` → `"0.000025"`: plain notation, no exponent, trailing zeros trimmed, `"0"` for zero. */
export function formatUsd(nanos: bigint): string {
  return formatScaled(nanos, 9)
}

/** The exact femto-USD amount as a decimal string (up to 15 decimals), for audits and tests. */
export function formatFemtoUsd(femtos: bigint): string {
  return formatScaled(femtos, 15)
}

function formatScaled(amount: bigint, decimals: number): string {
  const sign = amount < 0n ? '-' : ''
  const abs = amount < 0n ? -amount : amount
  const scale = 10n ** BigInt(decimals)
  const whole = abs / scale
  const fraction = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '')
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`
}

/** `"0.15"` → `150000000n`; null for anything but a plain non-negative decimal with ≤ 9 decimals. */
export function parseUsd(text: string): bigint | null {
  const match = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text)
  if (!match) return null
  const [, whole = '0', fraction = ''] = match
  return BigInt(whole) * NANOS_PER_USD + BigInt(fraction.padEnd(9, '0'))
}

/** Round half up from femto-USD to nano-USD (amounts are never negative). */
export function femtoToNanos(femtos: bigint): bigint {
  return (femtos + FEMTO_PER_NANO / 2n) / FEMTO_PER_NANO
}
