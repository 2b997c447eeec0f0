import type { FastifyInstance } from 'fastify'
import type { EndpointOperation } from '../endpoint-operation.ts'
import { registerGatewayEndpoint } from '../gateway-endpoint.ts'

// POST /v1/embeddings (OpenAI dialect): passed through to connections whose adapter serves
// embeddings (openai, openai-compatible, azure-openai) with `model` replaced; usage
// (`prompt_tokens`, `total_tokens`) is read for the log. Other connection types: a 400.

export const embeddingsOperation: EndpointOperation = {
  label: 'POST /v1/embeddings',
  body: true,
  metered: true,
  serve: (target) => (target.adapter.embeddings ? { kind: 'passthrough', capability: target.adapter.embeddings } : null),
  unsupportedHint: 'Embeddings are served by openai, openai-compatible and azure-openai connections.',
}

export default async function embeddings(app: FastifyInstance) {
  registerGatewayEndpoint(app, { endpoint: '/v1/embeddings', dialect: 'openai', operation: embeddingsOperation })
}
