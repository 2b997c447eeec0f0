import type { RuntimeProvider } from '../runtime/compile.ts'

// Upstream error bodies are relayed to the virtual-key holder, and OpenAI-compatible servers
// and proxies echo the credential they were sent ("Incorrect API key provided: sk-…"). Every
// relayed error — a whole non-2xx body, a stream's opening error event, an in-band error event
// later in a stream — passes through `redactSecrets` (relay/json.ts, relay/stream.ts), in
// passthrough and translated alike: the connection's own secret (as written, JSON-escaped and
// URL-encoded) and anything shaped like a credential becomes `[REDACTED]`. Success bodies are
// never scanned (they stay byte-identical and cost nothing).

export const REDACTED = '[REDACTED]'

/** Shorter "secrets" (`EMPTY`, `none` for a local server) are not worth hiding and would garble the text. */
const MIN_SECRET_LENGTH = 8

const TOKEN = '[A-Za-z0-9/+]'
/** Credential shapes, whoever's they are. */
const SHAPES: readonly RegExp[] = [
  // `Authorization: Bearer …` echoed back (RFC 6750 token characters); the scheme word stays.
  /(\bbearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/-]+=*/gi,
  // OpenAI (`sk-…`, `sk-proj-…`), Anthropic (`sk-ant-…`), most compatible servers.
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{35}/g,
  // AWS access key ids, and a 40-character secret access key (mixed case and a digit: not a hex id).
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  new RegExp(`(?<!${TOKEN})(?=${TOKEN}{0,39}[a-z])(?=${TOKEN}{0,39}[A-Z])(?=${TOKEN}{0,39}[0-9])${TOKEN}{40}(?!${TOKEN}|=)`, 'g'),
  // Switchyard's own virtual keys.
  /\bsy-[A-Za-z0-9]{38}\b/g,
]

/** The secrets a connection sends upstream: its credential and, for Bedrock, each AWS part. */
function secretsOf(provider: RuntimeProvider | undefined): string[] {
  if (!provider) return []
  const raw = [provider.apiKey]
  if (provider.aws) raw.push(provider.aws.accessKeyId, provider.aws.secretAccessKey, ...(provider.aws.sessionToken ? [provider.aws.sessionToken] : []))
  const spellings = new Set<string>()
  for (const secret of raw) {
    if (secret.length < MIN_SECRET_LENGTH) continue
    spellings.add(secret)
    spellings.add(JSON.stringify(secret).slice(1, -1))
    spellings.add(encodeURIComponent(secret))
  }
  // Longest first: a secret that contains another is replaced whole.
  return [...spellings].sort((a, b) => b.length - a.length)
}

/** `text` with the provider's secrets and every credential shape replaced by `[REDACTED]`. */
export function redactSecrets(text: string, provider: RuntimeProvider | undefined): string {
  let out = text
  for (const secret of secretsOf(provider)) out = out.split(secret).join(REDACTED)
  for (const shape of SHAPES) out = out.replace(shape, (match: string, scheme?: unknown) => (typeof scheme === 'string' ? `${scheme}${REDACTED}` : REDACTED))
  return out
}

/** The same for a body: the very bytes back when nothing needed redacting. */
export function redactBytes(body: Buffer, provider: RuntimeProvider | undefined): Buffer {
  const text = body.toString('utf8')
  const redacted = redactSecrets(text, provider)
  return redacted === text ? body : Buffer.from(redacted)
}

/** A relayed frame or body, text or bytes: unchanged (the same object) when nothing needed redacting. */
export function redactFrame(frame: Buffer | string, provider: RuntimeProvider | undefined): Buffer | string {
  return typeof frame === 'string' ? redactSecrets(frame, provider) : redactBytes(frame, provider)
}
