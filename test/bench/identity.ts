import { request } from 'undici'
import type { Captured, UpstreamConfig } from './fake-upstream.ts'
import { isStream, isTranslation, requestSpec, type Shape, type Target } from './shapes.ts'

// Passthrough fidelity, checked in every run: one request per shape (and, for OpenAI streams,
// with and without the client asking for usage) through each gateway, its bytes compared with
// the bytes the fake upstream actually sent for it (captured upstream-side). CONTRACT.md's one
// exception: when the client did not ask for usage, the gateway asks upstream for it and drops
// the final usage-only chunk; the `"usage":null` fields stay on the other chunks.

export interface IdentityResult {
  target: string
  shape: Shape
  variant: string
  verdict: 'identical' | 'identical-except-usage-chunk' | 'different' | 'error'
  detail: string
  /** How the upstream request body relates to the client's (informational). */
  requestBody: string
}

async function configure(upstreamOrigin: string, config: Partial<UpstreamConfig>): Promise<void> {
  const res = await request(`${upstreamOrigin}/__bench/config`, { method: 'POST', body: JSON.stringify(config) })
  await res.body.dump()
}

function withoutUsageChunk(bytes: string): string {
  return bytes
    .split(/(?<=\n\n)/)
    .filter((event) => {
      const data = /^data: (.*)$/m.exec(event)?.[1]
      if (!data || data === '[DONE]') return true
      try {
        const json = JSON.parse(data) as { choices?: unknown; usage?: unknown }
        return !(Array.isArray(json.choices) && json.choices.length === 0 && json.usage)
      } catch {
        return true
      }
    })
    .join('')
}

function firstDifference(a: string, b: string): string {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 60))
  return `first difference at byte ${i} of ${a.length}/${b.length}: upstream ${around(a)} vs received ${around(b)}`
}

function describeRequestBody(sent: Record<string, unknown>, captured: string): string {
  let upstream: Record<string, unknown>
  try {
    upstream = JSON.parse(captured) as Record<string, unknown>
  } catch {
    return 'not JSON'
  }
  const sentText = JSON.stringify(sent)
  if (sentText === captured) return 'bytes as sent'
  // Spliced: the client's bytes with only the model's value replaced (and stream_options put in front when the gateway asked for usage).
  const withModel = sentText.replace(`"model":${JSON.stringify(sent.model)}`, `"model":${JSON.stringify(upstream.model)}`)
  if (withModel === captured) return 'bytes as sent, model replaced in place'
  if (sent.stream_options === undefined && upstream.stream_options !== undefined && `{"stream_options":${JSON.stringify(upstream.stream_options)},${withModel.slice(1)}` === captured) {
    return 'bytes as sent, model replaced in place, stream_options added'
  }
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
        : v
  const normalize = (o: Record<string, unknown>) => JSON.stringify(canonical({ ...o, model: '', stream_options: undefined }))
  if (normalize(sent) === normalize(upstream)) {
    const changed = ['model', 'stream_options'].filter((k) => JSON.stringify(sent[k]) !== JSON.stringify(upstream[k]))
    return `re-serialized; same fields${changed.length ? ` except ${changed.join(', ')}` : ''}`
  }
  const added = Object.keys(upstream).filter((k) => !(k in sent))
  const dropped = Object.keys(sent).filter((k) => !(k in upstream))
  return `transformed (added: ${added.join(',') || '-'}; dropped: ${dropped.join(',') || '-'})`
}

export async function checkIdentity(targets: Target[], shapes: readonly Shape[], upstreamOrigin: string): Promise<IdentityResult[]> {
  const results: IdentityResult[] = []
  await configure(upstreamOrigin, { capture: true })
  try {
    for (const target of targets) {
      if (target.name === 'direct') continue
      for (const shape of shapes) {
        if (isTranslation(shape)) continue
        const variants = shape === 'openai-sse' ? [true, false] : [true]
        for (const includeUsage of variants) {
          const variant = shape === 'openai-sse' ? (includeUsage ? 'client asks for usage' : 'client does not ask for usage') : '-'
          const spec = requestSpec(target, shape, { includeUsage })
          try {
            const res = await request(`${spec.origin}${spec.path}`, { method: 'POST', headers: spec.headers, body: spec.body })
            const received = Buffer.from(await res.body.arrayBuffer()).toString('latin1')
            const lastRes = await request(`${upstreamOrigin}/__bench/last`)
            const captured = (await lastRes.body.json()) as Captured | null
            if (res.statusCode !== 200 || !captured) {
              results.push({ target: target.name, shape, variant, verdict: 'error', detail: `status ${res.statusCode}: ${received.slice(0, 200)}`, requestBody: '-' })
              continue
            }
            const requestBody = describeRequestBody(JSON.parse(spec.body.toString('utf8')) as Record<string, unknown>, captured.requestBody)
            const sent = captured.responseBytes
            let verdict: IdentityResult['verdict']
            let detail = `${received.length} bytes`
            if (received === sent) verdict = 'identical'
            else if (isStream(shape) && !includeUsage && received === withoutUsageChunk(sent)) verdict = 'identical-except-usage-chunk'
            else {
              verdict = 'different'
              detail = firstDifference(sent, received)
            }
            results.push({ target: target.name, shape, variant, verdict, detail, requestBody })
          } catch (err) {
            results.push({ target: target.name, shape, variant, verdict: 'error', detail: err instanceof Error ? err.message : String(err), requestBody: '-' })
          }
        }
      }
    }
  } finally {
    await configure(upstreamOrigin, { capture: false })
  }
  return results
}
