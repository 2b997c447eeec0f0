import type { FastifyInstance } from 'fastify'
import { registerGatewayEndpoint } from '../gateway-endpoint.ts'

// POST /v1/messages (Anthropic dialect): the Anthropic SDK sends its key as `x-api-key` (an
// `authToken` as `Authorization: Bearer`); `anthropic-version` and `anthropic-beta` go upstream.

export default async function messages(app: FastifyInstance) {
  registerGatewayEndpoint(app, {
    endpoint: '/v1/messages',
    dialect: 'anthropic',
    apiKeyHeader: 'x-api-key',
    forwardedHeaders: ['anthropic-version', 'anthropic-beta'],
  })
}
