import { z } from 'zod'

// The versioned price catalogue: plain JSON written by the snapshot script
// (src/pricing/snapshot/build-catalogue.ts) and parsed once at load. Every price is an integer,
// so nothing downstream ever multiplies a float.

/** The provider types a catalogue row can belong to (openai-compatible is priced by the team). */
export const PRICED_PROVIDERS = ['openai', 'azure-openai', 'anthropic', 'google', 'bedrock'] as const
export type PricedProvider = (typeof PRICED_PROVIDERS)[number]

/**
 * The priced units. Token units are nano-USD per 1,000,000 tokens ($0.15/MTok = 150_000_000);
 * count units (web searches, requests) are nano-USD per 1,000. A unit missing from a price set
 * is not priced separately: its tokens fall back along PRICE_FALLBACKS (cost.ts).
 */
export const PRICE_UNITS = {
  input: 'mtok',
  cacheRead: 'mtok',
  cacheWrite: 'mtok',
  cacheWrite1h: 'mtok',
  inputAudio: 'mtok',
  cacheReadAudio: 'mtok',
  output: 'mtok',
  reasoning: 'mtok',
  outputAudio: 'mtok',
  webSearches: 'kcount',
  requests: 'kcount',
} as const
export type PriceUnit = keyof typeof PRICE_UNITS

const nanoPrice = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

export const PriceSet = z.strictObject({
  input: nanoPrice.optional(),
  cacheRead: nanoPrice.optional(),
  cacheWrite: nanoPrice.optional(),
  cacheWrite1h: nanoPrice.optional(),
  inputAudio: nanoPrice.optional(),
  cacheReadAudio: nanoPrice.optional(),
  output: nanoPrice.optional(),
  reasoning: nanoPrice.optional(),
  outputAudio: nanoPrice.optional(),
  webSearches: nanoPrice.optional(),
  requests: nanoPrice.optional(),
})
export type PriceSet = z.infer<typeof PriceSet>

/** From `promptTokensAbove` prompt tokens on (strictly more), these prices replace the base ones. */
export const PriceTier = z.strictObject({
  promptTokensAbove: z.number().int().nonnegative(),
  prices: PriceSet,
})
export type PriceTier = z.infer<typeof PriceTier>

/**
 * How a model id is recognised: genai-prices' match rules, kept as a small tree because two of
 * them (`and` with a negative-lookahead regex) cannot be flattened into prefix lists. Every
 * comparison is case-insensitive: the id is lower-cased before matching, as genai-prices does.
 */
export type MatchRule =
  | { equals: string }
  | { startsWith: string }
  | { endsWith: string }
  | { contains: string }
  | { regex: string }
  | { anyOf: MatchRule[] }
  | { allOf: MatchRule[] }
export const MatchRule: z.ZodType<MatchRule> = z.lazy(() =>
  z.union([
    z.strictObject({ equals: z.string() }),
    z.strictObject({ startsWith: z.string() }),
    z.strictObject({ endsWith: z.string() }),
    z.strictObject({ contains: z.string() }),
    z.strictObject({ regex: z.string() }),
    z.strictObject({ anyOf: z.array(MatchRule) }),
    z.strictObject({ allOf: z.array(MatchRule) }),
  ]),
)

const instant = z.iso.datetime()

/** One model's prices for one period: [effectiveFrom, effectiveTo), null = unbounded. */
export const PriceRow = z.strictObject({
  provider: z.enum(PRICED_PROVIDERS),
  model: z.string().min(1),
  /** The genai-prices provider the row came from (azure-openai also carries openai's models). */
  source: z.string().min(1),
  match: MatchRule,
  effectiveFrom: instant.nullable(),
  effectiveTo: instant.nullable(),
  prices: PriceSet,
  tiers: z.array(PriceTier).default([]),
  /** Source price keys this catalogue does not carry (image, video, hours…), for the record. */
  uncarried: z.array(z.string()).default([]),
})
export type PriceRow = z.infer<typeof PriceRow>

export const CATALOGUE_SCHEMA_VERSION = 1

export const Catalogue = z.strictObject({
  schemaVersion: z.literal(CATALOGUE_SCHEMA_VERSION),
  /** `<package>@<version>+<content hash>`: changes exactly when the rows change. */
  catalogueVersion: z.string().min(1),
  source: z.strictObject({ package: z.string(), version: z.string() }),
  units: z.strictObject({ mtok: z.string(), kcount: z.string() }),
  /** Rows in match order: for a provider, the first row whose rule matches names the model. */
  rows: z.array(PriceRow),
})
export type Catalogue = z.infer<typeof Catalogue>
