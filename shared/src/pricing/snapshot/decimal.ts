// Exact decimal conversion for the snapshot: genai-prices holds prices as JS numbers parsed from
// decimal literals in its YAML, so a number's shortest round-trip form (String(n)) is that literal.
// We read the literal's digits, never multiply the float.

/** The exact value of a decimal literal as `digits × 10^-scale`, or null for a non-decimal string. */
export function parseDecimal(text: string): { digits: bigint; scale: number } | null {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text)
  if (!match) return null
  const [, whole = '', fraction = '', exponent = '0'] = match
  let digits = BigInt(whole + fraction)
  let scale = fraction.length - Number(exponent)
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { digits, scale }
}

/**
 * `usd × 10^9` as an integer (nano-USD), or null when the value has more than nine decimals and
 * so cannot be held exactly.
 */
export function toNanos(usd: number): bigint | null {
  if (!Number.isFinite(usd) || usd < 0) return null
  const parsed = parseDecimal(String(usd))
  if (!parsed) return null
  if (parsed.scale <= 9) return parsed.digits * 10n ** BigInt(9 - parsed.scale)
  const divisor = 10n ** BigInt(parsed.scale - 9)
  return parsed.digits % divisor === 0n ? parsed.digits / divisor : null
}
