// What Postgres can store. Its text and jsonb types cannot hold U+0000, and jsonb rejects the
// `\ud800`-style escape JSON.stringify writes for a lone surrogate (half of an emoji cut by a
// byte limit, or a hostile model string). One such character in one event made Postgres reject
// the whole ingest batch, other teams' rows included. Both become U+FFFD, the character a
// UTF-8 decoder puts in place of what it cannot decode: the row keeps everything else.

/** Code units Postgres refuses: NUL, and a high or low surrogate without its other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what Postgres refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g')

export const REPLACEMENT_CHARACTER = '\ufffd'

export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, REPLACEMENT_CHARACTER) : text
}

/**
 * Every string of a JSON value made storable, object keys included, at any depth. Returns the
 * value itself when nothing needed replacing (the common case allocates nothing).
 */
export function storableJson<T>(value: T): T {
  return storable(value) as T
}

function storable(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value)
  if (Array.isArray(value)) {
    let out: unknown[] | null = null
    value.forEach((item, i) => {
      const clean = storable(item)
      if (clean !== item) (out ??= value.slice())[i] = clean
    })
    return out ?? value
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return value
  let changed = false
  const entries = Object.entries(value).map(([key, item]) => {
    const cleanKey = storableText(key)
    const clean = storable(item)
    if (cleanKey !== key || clean !== item) changed = true
    return [cleanKey, clean] as const
  })
  return changed ? Object.fromEntries(entries) : value
}
