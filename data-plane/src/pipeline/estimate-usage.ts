import type { RequestLogEvent, Usage } from '@switchyard/shared/events'
import { countTokens, estimateInputTokens } from '../routes/anthropic/token-estimate.ts'
import type { RequestContext } from './context.ts'

// A request cut short — the client cancelled, or the stream broke off — before the provider's
// usage arrived was billed by the provider all the same (G-REL-09, G-BUD-06): its log event
// gets the prompt tokens estimated from the request and the completion tokens counted from
// the text the client was sent (relay/streamed-text.ts), flagged `usage.estimated`. What the
// provider reported before the cut is kept where it is the larger — but it is a count so far,
// not the final one (Anthropic's `message_start` says `output_tokens: 1`, Gemini's chunks carry
// running totals), so a stream cut short is always flagged. Runs at meter time only, for those
// requests only: the tokenizer (loaded on first use, token-estimate.ts) never touches a
// request that finished.

const CUT_SHORT: ReadonlySet<RequestLogEvent['outcome']> = new Set(['client_cancelled', 'incomplete'])

/** Whether the event's usage must be (partly) estimated: a request that reached a provider and ended early. */
export function needsUsageEstimate(ctx: RequestContext, event: RequestLogEvent): boolean {
  if (!CUT_SHORT.has(event.outcome) || !ctx.dispatched || !ctx.body) return false
  const usage = event.usage
  return ctx.outcome.streamed !== null || usage === null || usage.promptTokens === null || usage.completionTokens === null
}

async function completionTokensStreamed(ctx: RequestContext): Promise<number> {
  const streamed = ctx.outcome.streamed
  if (!streamed || streamed.empty) return 0
  const { text, scale } = streamed.read()
  return text === '' ? 0 : Math.round((await countTokens(text)) * scale)
}

/** The usage to log for a request cut short: the provider's where it reported more, ours elsewhere. */
export async function estimateUsage(ctx: RequestContext, reported: Usage | null): Promise<Usage> {
  const body = ctx.body ?? {}
  const promptReported = reported?.promptTokens ?? null
  const promptTokens = promptReported ?? (await estimateInputTokens(body))
  const counted = await completionTokensStreamed(ctx)
  const completionTokens = Math.max(reported?.completionTokens ?? 0, counted)
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    cachedPromptTokens: reported?.cachedPromptTokens ?? null,
    reasoningTokens: reported?.reasoningTokens ?? null,
    estimated: true,
  }
}
