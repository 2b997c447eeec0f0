import type { FastifyInstance } from 'fastify'
import { registerGatewayEndpoint } from '../gateway-endpoint.ts'

// POST /v1/chat/completions (OpenAI dialect): the OpenAI SDK sends `Authorization: Bearer`.

export default async function chatCompletions(app: FastifyInstance) {
  registerGatewayEndpoint(app, { endpoint: '/v1/chat/completions', dialect: 'openai' })
}
