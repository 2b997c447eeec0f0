import { GatewayError } from '../errors.ts'
import { adapterFor } from '../providers/registry.ts'
import type { ProviderWire } from '../providers/types.ts'
import type { RequestContext, Target } from './context.ts'

// A target node's `<connection>/<upstream model>` (split at the first `/`) → the team's
// connection, its adapter and the upstream model id (the plan stage resolves every target of a
// plan with it: pipeline/plan.ts). A connection of the other API family is served by
// translation when its adapter has a translator, and refused by name otherwise.

const API_NAMES: Record<ProviderWire, string> = {
  openai: 'OpenAI Chat Completions API',
  anthropic: 'Anthropic Messages API',
  gemini: 'Gemini API',
  'bedrock-converse': 'Bedrock Converse API',
}
const ENDPOINTS: Record<ProviderWire, string> = {
  openai: 'POST /v1/chat/completions',
  anthropic: 'POST /v1/messages',
  gemini: 'POST /v1/chat/completions or POST /v1/messages',
  'bedrock-converse': 'POST /v1/chat/completions or POST /v1/messages',
}

export function resolveTarget(ctx: RequestContext, model: string): Target {
  const slash = model.indexOf('/')
  const name = slash === -1 ? model : model.slice(0, slash)
  const upstreamModel = slash === -1 ? '' : model.slice(slash + 1)
  const provider = ctx.key ? ctx.runtime?.connections.get(ctx.key.teamId)?.get(name) : undefined
  if (!provider || upstreamModel.length === 0) {
    throw new GatewayError(
      'SY_ERR_MODEL_NOT_FOUND',
      `The model '${model}' does not exist or you do not have access to it. Use '<connection>/<model>' with one of your team's provider connections.`,
      { param: 'model' },
    )
  }
  const adapter = adapterFor(provider.type)
  if (!adapter) {
    throw new GatewayError(
      'SY_ERR_PROVIDER_UNSUPPORTED',
      `Provider connection '${provider.name}' has type '${provider.type}', which this gateway version cannot serve on this endpoint yet.`,
      { param: 'model' },
    )
  }
  if (adapter.wire !== ctx.dialect && !adapter.translator) {
    throw new GatewayError(
      'SY_ERR_PROVIDER_UNSUPPORTED',
      `Provider connection '${provider.name}' has type '${provider.type}', which speaks the ${API_NAMES[adapter.wire]}; ` +
        `this gateway version cannot translate ${API_NAMES[ctx.dialect]} requests to it. ` +
        `Call it through ${ENDPOINTS[adapter.wire]} instead, or use a connection of the same API family.`,
      { param: 'model' },
    )
  }
  return { provider, adapter, upstreamModel }
}
