import type { OpenAIQuirks } from '../openai/quirks.ts'

// Known OpenAI-compatible servers and how they differ from OpenAI, keyed by the connection's
// base-URL host (with `:port` for local servers). Data, not code: a new server is a row.
// Sources: each vendor's "OpenAI compatibility" page. Unknown hosts get DEFAULT_QUIRKS
// (`max_tokens`, which every compatible server reads; nothing dropped).

export const DEFAULT_QUIRKS: OpenAIQuirks = { maxTokensField: 'max_tokens', streamOptions: true, unsupportedParams: [], renamedParams: {} }

const row = (overrides: Partial<OpenAIQuirks>): OpenAIQuirks => ({ ...DEFAULT_QUIRKS, ...overrides })

export const QUIRKS_BY_HOST: Readonly<Record<string, OpenAIQuirks>> = {
  // Groq: logprobs, logit_bias, top_logprobs unsupported; n must be 1; max_completion_tokens preferred.
  'api.groq.com': row({ maxTokensField: 'max_completion_tokens', unsupportedParams: ['logprobs', 'top_logprobs', 'logit_bias', 'n', 'service_tier', 'store'] }),
  // Mistral: rejects unknown fields (422); `random_seed` instead of `seed`; usage always in the last chunk.
  'api.mistral.ai': row({
    streamOptions: false,
    unsupportedParams: ['logit_bias', 'logprobs', 'top_logprobs', 'user', 'store', 'service_tier', 'metadata', 'reasoning_effort'],
    renamedParams: { seed: 'random_seed' },
  }),
  'api.deepseek.com': row({ unsupportedParams: ['logit_bias', 'n', 'seed', 'store', 'service_tier', 'metadata'] }),
  'api.together.xyz': row({ unsupportedParams: ['store', 'service_tier', 'metadata'] }),
  'api.fireworks.ai': row({ unsupportedParams: ['store', 'service_tier', 'metadata'] }),
  'api.x.ai': row({ maxTokensField: 'max_completion_tokens', unsupportedParams: ['store', 'service_tier', 'metadata'] }),
  'openrouter.ai': row({ unsupportedParams: ['store', 'service_tier'] }),
  // Ollama's /v1 (default port 11434).
  'localhost:11434': row({ unsupportedParams: ['logit_bias', 'n', 'store', 'service_tier', 'metadata'] }),
  '127.0.0.1:11434': row({ unsupportedParams: ['logit_bias', 'n', 'store', 'service_tier', 'metadata'] }),
  // vLLM's OpenAI server (default port 8000).
  'localhost:8000': row({ unsupportedParams: ['store', 'service_tier', 'metadata'] }),
  '127.0.0.1:8000': row({ unsupportedParams: ['store', 'service_tier', 'metadata'] }),
}

const cache = new Map<string, OpenAIQuirks>()

/** The quirks of the server behind `baseUrl` (host:port first, then host). */
export function quirksFor(baseUrl: string | null): OpenAIQuirks {
  if (!baseUrl) return DEFAULT_QUIRKS
  let quirks = cache.get(baseUrl)
  if (!quirks) {
    let url: URL | null = null
    try {
      url = new URL(baseUrl)
    } catch {
      url = null
    }
    quirks = (url && (QUIRKS_BY_HOST[url.host] ?? QUIRKS_BY_HOST[url.hostname])) || DEFAULT_QUIRKS
    cache.set(baseUrl, quirks)
  }
  return quirks
}
