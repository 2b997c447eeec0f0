// What an OpenAI-wire server does differently from OpenAI itself, as data (never code branches
// per vendor): applied to the body the gateway sends, passthrough or translated. Each change is
// named in `x-switchyard-degraded`. The table of known servers lives in
// providers/openai-compatible/quirks.ts; OpenAI and Azure OpenAI use NO_QUIRKS.

export interface OpenAIQuirks {
  /** The field this server reads the output-token limit from. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens'
  /** Whether it understands `stream_options.include_usage` (else usage is never asked for). */
  streamOptions: boolean
  /** Top-level request fields it rejects: dropped. */
  unsupportedParams: readonly string[]
  /** Fields it knows under another name: renamed (e.g. Mistral's `random_seed`). */
  renamedParams: Readonly<Record<string, string>>
}

export const NO_QUIRKS: OpenAIQuirks = { maxTokensField: 'max_completion_tokens', streamOptions: true, unsupportedParams: [], renamedParams: {} }

const MAX_TOKENS_FIELDS = ['max_tokens', 'max_completion_tokens'] as const

/** A copy of `body` adapted to the server; `degraded` names each change. The input is not mutated. */
export function applyQuirks(body: Record<string, unknown>, quirks: OpenAIQuirks): { body: Record<string, unknown>; degraded: string[] } {
  if (quirks === NO_QUIRKS) return { body, degraded: [] }
  const out: Record<string, unknown> = { ...body }
  const degraded: string[] = []
  const other = MAX_TOKENS_FIELDS.find((f) => f !== quirks.maxTokensField)
  if (other && out[other] !== undefined && out[quirks.maxTokensField] === undefined) {
    out[quirks.maxTokensField] = out[other]
    delete out[other]
    degraded.push(`${other} (sent as ${quirks.maxTokensField})`)
  }
  if (!quirks.streamOptions && out.stream_options !== undefined) {
    delete out.stream_options
    degraded.push('stream_options')
  }
  for (const name of quirks.unsupportedParams) {
    if (out[name] === undefined) continue
    delete out[name]
    degraded.push(name)
  }
  for (const [name, renamed] of Object.entries(quirks.renamedParams)) {
    if (out[name] === undefined) continue
    out[renamed] = out[name]
    delete out[name]
    degraded.push(`${name} (sent as ${renamed})`)
  }
  return { body: out, degraded }
}
