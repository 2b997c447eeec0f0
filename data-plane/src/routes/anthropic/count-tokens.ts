import type { FastifyInstance } from 'fastify'
import { GatewayError } from '../../errors.ts'
import type { EndpointOperation, LocalAnswer } from '../endpoint-operation.ts'
import { registerGatewayEndpoint } from '../gateway-endpoint.ts'
import { estimateInputTokens } from './token-estimate.ts'

// POST /v1/messages/count_tokens (Anthropic dialect) → `{"input_tokens": n}`.
//   - connections whose provider counts (anthropic): EXACT, the provider's answer relayed;
//   - every other connection: an ESTIMATE from a bundled tokenizer (token-estimate.ts), flagged
//     by `x-switchyard-token-count: estimate` and an extra `"estimate": true` field (the
//     Anthropic SDK keeps unknown fields). No upstream call.
// Logged like every request (endpoint recorded), without usage: counting is not billed.

export const TOKEN_COUNT_HEADER = 'x-switchyard-token-count'

async function estimate(ctx: { body: Record<string, unknown> | null }): Promise<LocalAnswer> {
  const body = ctx.body
  if (!body) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: count_tokens without a body')
  if (!Array.isArray(body.messages)) {
    throw new GatewayError('SY_ERR_REQUEST_INVALID', 'messages: Field required', { param: 'messages' })
  }
  return {
    status: 200,
    body: { input_tokens: await estimateInputTokens(body), estimate: true },
    headers: { 'content-type': 'application/json', [TOKEN_COUNT_HEADER]: 'estimate' },
  }
}

export const countTokensOperation: EndpointOperation = {
  label: 'POST /v1/messages/count_tokens',
  body: true,
  metered: true,
  serve: (target) => (target.adapter.countTokens ? { kind: 'passthrough', capability: target.adapter.countTokens } : { kind: 'local', answer: estimate }),
  unsupportedHint: '',
}

export default async function countTokens(app: FastifyInstance) {
  registerGatewayEndpoint(app, {
    endpoint: '/v1/messages/count_tokens',
    dialect: 'anthropic',
    apiKeyHeader: 'x-api-key',
    forwardedHeaders: ['anthropic-version', 'anthropic-beta'],
    operation: countTokensOperation,
  })
}
