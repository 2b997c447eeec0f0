
// A token-count ESTIMATE for an Anthropic Messages body, for connections whose provider offers
// no counting endpoint. Bundled tokenizer: OpenAI's o200k_base BPE (gpt-tokenizer, ranks shipped
// inside the package: no network at runtime). It is exact for neither family's every model, so
// answers are flagged as estimates (docs/compatibility.md). What is counted: every text the
// model reads (system, message text, tool-use inputs, tool results, thinking), tool
// definitions as JSON, a small per-message overhead, and a flat amount per image/document.

/** Per image or document block: the ceiling Anthropic documents for a ~1.15-megapixel image. */
export const IMAGE_TOKENS = 1_600
/** Per message: role and turn markers. */
export const MESSAGE_OVERHEAD_TOKENS = 4

/** Fields that are identifiers, encodings or binary: not text the model reads as such. */
const SKIPPED_FIELDS = new Set(['type', 'id', 'tool_use_id', 'media_type', 'data', 'signature', 'cache_control', 'url', 'file_id'])
const MEDIA_BLOCKS = new Set(['image', 'document'])

interface Tally {
  texts: string[]
  media: number
}

function walk(value: unknown, tally: Tally): void {
  if (typeof value === 'string') {
    tally.texts.push(value)
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, tally)
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    if (typeof record.type === 'string' && MEDIA_BLOCKS.has(record.type)) {
      tally.media += 1
      return
    }
    for (const [name, field] of Object.entries(record)) {
      if (SKIPPED_FIELDS.has(name)) continue
      if (name === 'input' && typeof field === 'object') tally.texts.push(JSON.stringify(field))
      else walk(field, tally)
    }
  }
}

// The BPE ranks cost ~40-70 MB of memory once loaded: loaded on the first estimate, not at
// start-up, so a data plane that never estimates never pays for them.
let tokenizer: Promise<(text: string) => number> | null = null

export function countTokens(text: string): Promise<number> {
  tokenizer ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => m.countTokens)
  return tokenizer.then((count) => count(text))
}

export async function estimateInputTokens(body: Record<string, unknown>): Promise<number> {
  const tally: Tally = { texts: [], media: 0 }
  walk(body.system, tally)
  walk(body.messages, tally)
  // The Responses API's fields (a stream of it cut short is estimated too: pipeline/estimate-usage.ts).
  walk(body.instructions, tally)
  walk(body.input, tally)
  const tools = Array.isArray(body.tools) ? body.tools : []
  const messages = Array.isArray(body.messages) ? body.messages.length : 0
  const text = [...tally.texts, ...tools.map((tool) => JSON.stringify(tool))].join('\n')
  return (await countTokens(text)) + MESSAGE_OVERHEAD_TOKENS * messages + IMAGE_TOKENS * tally.media
}
