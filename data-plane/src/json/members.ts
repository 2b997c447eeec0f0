// The top-level members of a JSON object text, found and replaced in the bytes themselves. The
// passthrough path forwards the client's body as it came, with only `model` (and, when the
// gateway must ask for usage, `stream_options`) rewritten in place: no re-serialization, so
// every other byte — key order, number formatting, unicode escapes — reaches the provider as
// the client sent it. Strings are skipped with native searches for their closing quote, so a
// long prompt or a base64 image costs a memchr, not a loop in JS.
//
// The input must already be valid JSON (the pipeline parsed it): a malformed text returns null
// and the caller falls back to serializing the parsed body.

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const COMMA = 0x2c
const COLON = 0x3a

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}

function skipSpace(buf: Buffer, at: number): number {
  while (isSpace(buf[at])) at++
  return at
}

/** The index just past the string that opens at `at` (a quote), or -1. */
function skipString(buf: Buffer, at: number): number {
  // Short strings (keys, enum values) end within a few bytes: a loop is cheaper than a native
  // call. Long ones (prompts, base64) are left to indexOf.
  const stop = Math.min(buf.length, at + 48)
  for (let i = at + 1; i < stop; i++) {
    const byte = buf[i]
    if (byte === QUOTE) return i + 1
    if (byte === BACKSLASH) i++
  }
  let from = stop
  for (;;) {
    const quote = buf.indexOf(QUOTE, from)
    if (quote === -1) return -1
    let backslashes = 0
    while (buf[quote - 1 - backslashes] === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote + 1
    from = quote + 1
  }
}

/** The index just past the value that starts at `at`, or -1. */
function skipValue(buf: Buffer, at: number): number {
  const first = buf[at]
  if (first === QUOTE) return skipString(buf, at)
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0
    let i = at
    while (i < buf.length) {
      const byte = buf[i]
      if (byte === QUOTE) {
        i = skipString(buf, i)
        if (i === -1) return -1
        continue
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth--
        if (depth === 0) return i + 1
      }
      i++
    }
    return -1
  }
  // A number or a literal: up to the next delimiter.
  let i = at
  while (i < buf.length) {
    const byte = buf[i]
    if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) break
    i++
  }
  return i > at ? i : -1
}

const keyBytes = new Map<string, Buffer>()

/** A key's UTF-8 bytes, remembered (the same few keys are looked for on every request). */
function bytesOf(key: string): Buffer {
  let bytes = keyBytes.get(key)
  if (!bytes) {
    bytes = Buffer.from(key)
    if (keyBytes.size < 256) keyBytes.set(key, bytes)
  }
  return bytes
}

/**
 * Walks the top-level members of the JSON object in `buf`, one `next()` at a time: where each
 * key's text (inside its quotes) and value are. A cursor, not a callback per member, so a walk
 * allocates nothing but itself.
 */
class MemberCursor {
  /** The object's `{`, or -1 when `buf` is not a JSON object. */
  readonly open: number
  keyStart = 0
  keyEnd = 0
  /** The key has escapes (`"mod\u0065l"`): compared decoded, as JSON.parse would see it. */
  escapedKey = false
  valueStart = 0
  valueEnd = 0
  /** Set when the text turned out not to be a well-formed object. */
  malformed = false
  private at: number

  constructor(private readonly buf: Buffer) {
    const open = skipSpace(buf, 0)
    this.open = buf[open] === OPEN_OBJECT ? open : -1
    this.malformed = this.open === -1
    this.at = this.malformed ? buf.length : skipSpace(buf, open + 1)
    if (buf[this.at] === CLOSE_OBJECT) this.at = buf.length
  }

  /** Moves to the next member; false at the object's end (or on malformed text: see `malformed`). */
  next(): boolean {
    const buf = this.buf
    let i = this.at
    if (i >= buf.length) return false
    if (buf[i] !== QUOTE) return this.fail()
    const keyEnd = skipString(buf, i)
    if (keyEnd === -1) return this.fail()
    this.keyStart = i + 1
    this.keyEnd = keyEnd - 1
    this.escapedKey = false
    for (let k = this.keyStart; k < this.keyEnd; k++) {
      if (buf[k] === BACKSLASH) {
        this.escapedKey = true
        break
      }
    }
    i = skipSpace(buf, keyEnd)
    if (buf[i] !== COLON) return this.fail()
    this.valueStart = skipSpace(buf, i + 1)
    this.valueEnd = skipValue(buf, this.valueStart)
    if (this.valueEnd === -1) return this.fail()
    i = skipSpace(buf, this.valueEnd)
    if (buf[i] === CLOSE_OBJECT) this.at = buf.length
    else if (buf[i] === COMMA) this.at = skipSpace(buf, i + 1)
    else {
      // The member is fine; what follows it is not.
      this.at = buf.length
      this.malformed = true
    }
    return true
  }

  /** Whether the current member's key is `key`. */
  keyIs(key: string): boolean {
    const buf = this.buf
    if (this.escapedKey) return JSON.parse(buf.toString('utf8', this.keyStart - 1, this.keyEnd + 1)) === key
    const wanted = bytesOf(key)
    if (this.keyEnd - this.keyStart !== wanted.length) return false
    for (let i = 0; i < wanted.length; i++) if (buf[this.keyStart + i] !== wanted[i]) return false
    return true
  }

  private fail(): false {
    this.malformed = true
    this.at = this.buf.length
    return false
  }
}

/**
 * The named top-level members of the object in `buf`, each value parsed (the last occurrence
 * wins, as with JSON.parse); the other members are skipped, not parsed. Null when `buf` is not
 * a JSON object or a picked value is not valid JSON.
 */
export function pickMembers(buf: Buffer, keys: readonly string[]): Record<string, unknown> | null {
  const picked: Record<string, unknown> = {}
  const cursor = new MemberCursor(buf)
  while (cursor.next()) {
    for (const key of keys) {
      if (!cursor.keyIs(key)) continue
      try {
        picked[key] = JSON.parse(buf.toString('utf8', cursor.valueStart, cursor.valueEnd))
      } catch {
        return null
      }
      break
    }
  }
  return cursor.malformed ? null : picked
}

const UNICODE_ESCAPE = Buffer.from('\\u')

/** How many times `needle` occurs in `buf` (native searches). */
function occurrences(buf: Buffer, needle: Buffer): number {
  let count = 0
  for (let at = buf.indexOf(needle); at !== -1; at = buf.indexOf(needle, at + needle.length)) count++
  return count
}

/**
 * `buf` with the values of the named top-level members replaced by the given JSON texts (every
 * occurrence, so duplicate keys cannot smuggle the client's value past the gateway); a name not
 * present is added at the front of the object. Returns null when `buf` is not a JSON object.
 *
 * `parsed` (the same body, already JSON.parse'd) lets the walk stop early: a key absent from it
 * is absent from the bytes (added without looking), and once every occurrence of a present key's
 * quoted name in the bytes has been matched as a top-level member, nothing after it can be one —
 * usually a few members into the body, however long the messages that follow. A body with any
 * `\u` escape could spell a key another way (`"mod\u0065l"`): it is walked whole.
 */
export function replaceMembers(buf: Buffer, replacements: Readonly<Record<string, string>>, parsed?: Readonly<Record<string, unknown>>): Buffer | null {
  const keys = Object.keys(replacements)
  const countable = parsed !== undefined && buf.indexOf(UNICODE_ESCAPE) === -1
  // Per key: occurrences of its quoted name not yet matched (-1: unknown, walk everything), and whether it was found.
  const left: number[] = []
  const found: boolean[] = []
  let pending = 0
  for (const key of keys) {
    const count = !countable ? -1 : parsed[key] === undefined ? 0 : occurrences(buf, bytesOf(JSON.stringify(key)))
    left.push(count)
    found.push(false)
    if (count !== 0) pending++
  }
  // Edits as flat triples: value start, value end, index of the key.
  const edits: number[] = []
  const cursor = new MemberCursor(buf)
  while (pending > 0 && cursor.next()) {
    for (let k = 0; k < keys.length; k++) {
      if (!cursor.keyIs(keys[k] as string)) continue
      found[k] = true
      edits.push(cursor.valueStart, cursor.valueEnd, k)
      if (left[k] === 1) pending--
      if ((left[k] as number) > 0) left[k] = (left[k] as number) - 1
      break
    }
  }
  if (cursor.open === -1 || cursor.malformed) return null
  let prefix = ''
  for (let k = 0; k < keys.length; k++) {
    if (found[k]) continue
    prefix += `${prefix ? ',' : ''}${JSON.stringify(keys[k])}:${replacements[keys[k] as string]}`
  }
  if (prefix && buf[skipSpace(buf, cursor.open + 1)] !== CLOSE_OBJECT) prefix += ','
  let length = buf.length + Buffer.byteLength(prefix)
  for (let e = 0; e < edits.length; e += 3) {
    length += Buffer.byteLength(replacements[keys[edits[e + 2] as number] as string] as string) - ((edits[e + 1] as number) - (edits[e] as number))
  }
  const out = Buffer.allocUnsafe(length)
  let at = 0
  let from = 0
  if (prefix) {
    at += buf.copy(out, at, 0, cursor.open + 1)
    at += out.write(prefix, at)
    from = cursor.open + 1
  }
  for (let e = 0; e < edits.length; e += 3) {
    at += buf.copy(out, at, from, edits[e] as number)
    at += out.write(replacements[keys[edits[e + 2] as number] as string] as string, at)
    from = edits[e + 1] as number
  }
  buf.copy(out, at, from)
  return out
}
