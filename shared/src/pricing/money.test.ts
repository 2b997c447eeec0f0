import { describe, expect, it } from 'vitest'
import { femtoToNanos, formatFemtoUsd, formatUsd, parseUsd } from './money.ts'
import { parseDecimal, toNanos } from './snapshot/decimal.ts'

describe('formatUsd', () => {
  it('writes plain decimal notation with trailing zeros trimmed', () => {
    expect(formatUsd(25_000n)).toBe('0.000025')
    expect(formatUsd(0n)).toBe('0')
    expect(formatUsd(1n)).toBe('0.000000001')
    expect(formatUsd(1_500_000_000n)).toBe('1.5')
    expect(formatUsd(12_000_000_000n)).toBe('12')
    expect(formatUsd(123_456_789_012_345_678_901n)).toBe('123456789012.345678901')
    expect(formatUsd(-25_000n)).toBe('-0.000025')
  })

  it('never uses an exponent, even where Number would', () => {
    for (let n = 1n; n < 10n ** 30n; n *= 7n) expect(formatUsd(n)).toMatch(/^\d+(\.\d*[1-9])?$/)
  })

  it('writes exact femto amounts with up to 15 decimals', () => {
    expect(formatFemtoUsd(18_750_000n)).toBe('0.00000001875')
    expect(formatFemtoUsd(1n)).toBe('0.000000000000001')
  })
})

describe('parseUsd', () => {
  it('reads plain decimal strings into nano-USD', () => {
    expect(parseUsd('0.15')).toBe(150_000_000n)
    expect(parseUsd('3')).toBe(3_000_000_000n)
    expect(parseUsd('0.000000001')).toBe(1n)
  })

  it('refuses what it cannot hold exactly or is not plain notation', () => {
    for (const bad of ['0.0000000001', '1e-7', '-1', '.5', '1.', '', ' 1', '0x10', 'NaN']) expect(parseUsd(bad), bad).toBeNull()
  })
})

describe('femtoToNanos', () => {
  it('rounds half up', () => {
    expect(femtoToNanos(1_499_999n)).toBe(1n)
    expect(femtoToNanos(1_500_000n)).toBe(2n)
  })
})

describe('snapshot decimal conversion', () => {
  it('reads a price float through its shortest decimal form, exponents included', () => {
    expect(parseDecimal('1e-7')).toEqual({ digits: 1n, scale: 7 })
    expect(toNanos(0.01875)).toBe(18_750_000n)
    expect(toNanos(1e-7)).toBe(100n)
    expect(toNanos(2.5e21)).toBe(2_500_000_000_000_000_000_000_000_000_000n)
    expect(toNanos(3.125)).toBe(3_125_000_000n)
  })

  it('reports prices finer than a nano-USD, or float artefacts, as unrepresentable', () => {
    expect(toNanos(1e-10)).toBeNull()
    expect(toNanos(0.1 + 0.2)).toBeNull()
    expect(toNanos(-1)).toBeNull()
    expect(toNanos(Number.NaN)).toBeNull()
  })
})
