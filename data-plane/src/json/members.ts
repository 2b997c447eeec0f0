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
  let from = at + 1
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

function keyOf(buf: Buffer, start: number, end: number): string {
  // Escaped keys (`"mod\u0065l"`) are what JSON.parse would see: decode them the same way.
  const text = buf.toString('utf8', start + 1, end - 1)
  return text.includes('\\') ? (JSON.parse(buf.toString('utf8', start, end)) as string) : text
}

/** A top-level member: where its value's bytes are, and where the whole `"key": value` is. */
export interface MemberSpan {
  key: string
  valueStart: number
  valueEnd: number
}

/**
 * Calls `visit` for each top-level member of the object in `buf` (in order; duplicates too);
 * `visit` returns true to stop early. Returns the index of the object's `{`, or -1 when `buf`
 * is not a JSON object.
 */
export function forEachMember(buf: Buffer, visit: (member: MemberSpan) => boolean | void): number {
  const open = skipSpace(buf, 0)
  if (buf[open] !== OPEN_OBJECT) return -1
  let i = skipSpace(buf, open + 1)
  if (buf[i] === CLOSE_OBJECT) return open
  for (;;) {
    if (buf[i] !== QUOTE) return -1
    const keyEnd = skipString(buf, i)
    if (keyEnd === -1) return -1
    const key = keyOf(buf, i, keyEnd)
    i = skipSpace(buf, keyEnd)
    if (buf[i] !== COLON) return -1
    const valueStart = skipSpace(buf, i + 1)
    const valueEnd = skipValue(buf, valueStart)
    if (valueEnd === -1) return -1
    if (visit({ key, valueStart, valueEnd }) === true) return open
    i = skipSpace(buf, valueEnd)
    if (buf[i] === CLOSE_OBJECT) return open
    if (buf[i] !== COMMA) return -1
    i = skipSpace(buf, i + 1)
  }
}

/** The raw value text of top-level member `key` (the last one, as JSON.parse keeps), or null. */
export function memberText(buf: Buffer, key: string): string | null {
  let found: MemberSpan | null = null
  const ok = forEachMember(buf, (member) => {
    if (member.key === key) found = member
  })
  if (ok === -1 || found === null) return null
  const { valueStart, valueEnd } = found as MemberSpan
  return buf.toString('utf8', valueStart, valueEnd)
}

/**
 * `buf` with the values of the named top-level members replaced by the given JSON texts (every
 * occurrence, so duplicate keys cannot smuggle the client's value past the gateway); a name not
 * present is added at the front of the object. Returns null when `buf` is not a JSON object.
 */
export function replaceMembers(buf: Buffer, replacements: Readonly<Record<string, string>>): Buffer | null {
  const edits: { start: number; end: number; text: string }[] = []
  const seen = new Set<string>()
  const open = forEachMember(buf, (member) => {
    const text = replacements[member.key]
    if (text === undefined) return
    seen.add(member.key)
    edits.push({ start: member.valueStart, end: member.valueEnd, text })
  })
  if (open === -1) return null
  const added: string[] = []
  for (const key of Object.keys(replacements)) if (!seen.has(key)) added.push(`${JSON.stringify(key)}:${replacements[key]}`)
  const parts: Buffer[] = []
  let from = 0
  if (added.length > 0) {
    const empty = buf[skipSpace(buf, open + 1)] === CLOSE_OBJECT
    parts.push(buf.subarray(0, open + 1), Buffer.from(added.join(',') + (empty ? '' : ',')))
    from = open + 1
  }
  for (const edit of edits) {
    parts.push(buf.subarray(from, edit.start), Buffer.from(edit.text))
    from = edit.end
  }
  parts.push(buf.subarray(from))
  return Buffer.concat(parts)
}
