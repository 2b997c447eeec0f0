import type { RequestSpec } from './loadgen.ts'

// What is sent: four shapes (API family × JSON/SSE) and how each target is addressed.

/** Passthrough shapes (client and provider speak the same API): the default run. */
export const SHAPES = ['openai-json', 'openai-sse', 'anthropic-json', 'anthropic-sse'] as const
/**
 * The translation path: an OpenAI SDK call served by an Anthropic connection. Switchyard and
 * Portkey translate; direct and floor send the native Anthropic request (the provider call the
 * translation ends in), so "added" includes the translation both ways.
 */
export const TRANSLATION_SHAPES = ['openai-to-anthropic-json', 'openai-to-anthropic-sse'] as const
export const ALL_SHAPES = [...SHAPES, ...TRANSLATION_SHAPES] as const
export type Shape = (typeof ALL_SHAPES)[number]

/** `switchyard` = a production replica (`npm run start:data-plane`); `embedded` = `npm start`'s data plane. */
export const TARGET_NAMES = ['direct', 'floor', 'switchyard', 'embedded', 'portkey'] as const
export type TargetName = (typeof TARGET_NAMES)[number]

export const UPSTREAM_KEY = 'sk-bench-upstream-0000000000000000'
export const OPENAI_MODEL_ID = 'gpt-4o-mini'
export const ANTHROPIC_MODEL_ID = 'claude-3-5-haiku-latest'
/** Switchyard's connection names (model string `<connection>/<model>`). */
export const CONNECTIONS = { openai: 'bench-openai', anthropic: 'bench-anthropic' } as const

export interface Target {
  name: TargetName
  origin: string
  /** The process to watch (CPU, RSS); null for direct. */
  pid: number | null
  /** Event-loop delay probe output (bench/probe.ts), when the target runs it. */
  probeFile: string | null
  switchyardKey?: string
  upstreamOrigin: string
}

/** Switchyard's data plane, as a replica or as `npm start` runs it: addressed the same way. */
export function isSwitchyard(target: Pick<Target, 'name'>): boolean {
  return target.name === 'switchyard' || target.name === 'embedded'
}

export function isStream(shape: Shape): boolean {
  return shape.endsWith('-sse')
}

export function isTranslation(shape: Shape): boolean {
  return shape.startsWith('openai-to-')
}

/** Whether this target translates (speaks the client's family to a provider of the other). */
function translates(target: Target, shape: Shape): boolean {
  return isTranslation(shape) && (isSwitchyard(target) || target.name === 'portkey')
}

/** The API family the target is spoken to in. */
export function familyOf(shape: Shape, target?: Target): 'openai' | 'anthropic' {
  if (isTranslation(shape)) return target && translates(target, shape) ? 'openai' : 'anthropic'
  return shape.startsWith('openai') ? 'openai' : 'anthropic'
}

/** The provider family behind the call. */
function providerOf(shape: Shape): 'openai' | 'anthropic' {
  return shape.startsWith('openai-json') || shape.startsWith('openai-sse') ? 'openai' : 'anthropic'
}

const PROMPT =
  'You are a concise assistant. Summarize the following in one sentence: the quick brown fox jumps over the lazy dog, ' +
  'then rests in the shade of an old oak tree while the farmer, unaware, counts his sheep for the third time today.'

export interface BodyOptions {
  /** OpenAI streams: whether the client asks for usage (stream_options.include_usage). */
  includeUsage?: boolean
}

export function requestBody(target: Target, shape: Shape, options: BodyOptions = {}): Record<string, unknown> {
  const family = familyOf(shape, target)
  const provider = providerOf(shape)
  const stream = isStream(shape)
  const upstreamModel = provider === 'openai' ? OPENAI_MODEL_ID : ANTHROPIC_MODEL_ID
  const model = isSwitchyard(target) ? `${CONNECTIONS[provider]}/${upstreamModel}` : upstreamModel
  if (family === 'openai') {
    return {
      model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: PROMPT },
      ],
      max_tokens: 64,
      temperature: 0.2,
      ...(stream ? { stream: true, ...(options.includeUsage === false ? {} : { stream_options: { include_usage: true } }) } : {}),
    }
  }
  return {
    model,
    max_tokens: 64,
    system: 'You are a helpful assistant.',
    messages: [{ role: 'user', content: PROMPT }],
    temperature: 0.2,
    ...(stream ? { stream: true } : {}),
  }
}

export function requestSpec(target: Target, shape: Shape, options: BodyOptions = {}): RequestSpec {
  const family = familyOf(shape, target)
  const key = isSwitchyard(target) ? (target.switchyardKey ?? '') : UPSTREAM_KEY
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (family === 'openai') {
    headers.authorization = `Bearer ${key}`
  } else {
    headers['x-api-key'] = key
    headers['anthropic-version'] = '2023-06-01'
  }
  if (target.name === 'portkey') {
    headers['x-portkey-provider'] = providerOf(shape)
    // Portkey appends `/chat/completions` (OpenAI) or `/messages` (Anthropic) to the custom host.
    headers['x-portkey-custom-host'] = `${target.upstreamOrigin}/v1`
  }
  return {
    origin: target.origin,
    path: family === 'openai' ? '/v1/chat/completions' : '/v1/messages',
    headers,
    body: Buffer.from(JSON.stringify(requestBody(target, shape, options))),
    endMarker: isStream(shape) ? Buffer.from(family === 'openai' ? 'data: [DONE]\n\n' : '{"type":"message_stop"}\n\n') : null,
  }
}
