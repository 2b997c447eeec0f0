import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { GatewayError } from '../errors.ts'
import type { EndpointOperation } from '../pipeline/operation.ts'
import { headerValue, registerGatewayEndpoint } from './gateway-endpoint.ts'
import { type ListedModel, listModels } from './model-listing.ts'

// GET /v1/models: the models THIS virtual key may call (model-listing.ts), in the caller's
// format. The OpenAI SDK gets `{object:"list", data:[{id, object:"model", created, owned_by}]}`;
// a request carrying `anthropic-version` (the Anthropic SDK) gets Anthropic's page
// `{data:[{type:"model", id, display_name, created_at}], has_more, first_id, last_id}` with its
// `limit` / `after_id` / `before_id` paging. The same stages as every endpoint (the hop check and
// the key included); not logged (no model is called). `created` is unknown for a gateway listing: 0 (1970-01-01).

const AnthropicPage = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  after_id: z.string().optional(),
  before_id: z.string().optional(),
})

function openaiList(models: ListedModel[]) {
  return { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.connection })) }
}

function anthropicList(models: ListedModel[], query: unknown) {
  const page = AnthropicPage.safeParse(query)
  if (!page.success) throw new GatewayError('SY_ERR_REQUEST_INVALID', 'Invalid paging parameters (limit, after_id, before_id).')
  const { limit, after_id: after, before_id: before } = page.data
  let start = 0
  let end = models.length
  if (after !== undefined) start = models.findIndex((m) => m.id === after) + 1
  if (before !== undefined) end = Math.max(0, models.findIndex((m) => m.id === before))
  const slice = before !== undefined && after === undefined ? models.slice(Math.max(0, end - limit), end) : models.slice(start, Math.min(end, start + limit))
  const hasMore = before !== undefined && after === undefined ? end - limit > 0 : start + limit < end
  const data = slice.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: '1970-01-01T00:00:00Z' }))
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}

/** The listing: a plan that answers locally (pipeline/plan.ts), through the same stages and finish point as every endpoint. */
export const modelsOperation: EndpointOperation = {
  label: 'GET /v1/models',
  body: false,
  metered: false,
  local(ctx) {
    const { key, runtime } = ctx
    if (!key || !runtime) throw new GatewayError('SY_ERR_INTERNAL', 'authenticate left no key')
    const listed = listModels(runtime, key)
    return { status: 200, headers: {}, body: ctx.dialect === 'anthropic' ? anthropicList(listed, ctx.query) : openaiList(listed) }
  },
  serve: () => null,
  unsupportedHint: '',
}

export default async function models(app: FastifyInstance) {
  registerGatewayEndpoint(app, {
    endpoint: '/v1/models',
    method: 'GET',
    dialect: 'openai',
    dialectOf: (request) => (headerValue(request, 'anthropic-version') ? 'anthropic' : 'openai'),
    apiKeyHeader: 'x-api-key',
    operation: modelsOperation,
  })
}
