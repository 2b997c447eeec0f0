import { GatewayError } from '../errors.ts'
import { isValidModelString, MAX_NESTING_DEPTH, MODEL_MAX_LENGTH, nestsDeeperThan } from './body-bounds.ts'
import type { RequestContext } from './context.ts'
import { checkRequestShape } from './request-shape.ts'

// 2. The JSON body → ctx.body, requestedModel, stream, clientWantsUsage. Parsed once; only the
// fields the gateway needs, and the types of those every provider relies on (request-shape.ts),
// are checked — the rest is the provider's business. The model string and the nesting depth are
// bounded (body-bounds.ts). An operation without a body (the models listing) skips it.

export function parseBody(ctx: RequestContext): void {
  if (!ctx.operation.body) return
  if (!ctx.rawBody || ctx.rawBody.length === 0) {
    throw new GatewayError('SY_ERR_REQUEST_INVALID_JSON', 'The request body must be a JSON object.')
  }
  let body: unknown
  try {
    body = JSON.parse(ctx.rawBody.toString('utf8'))
  } catch {
    throw new GatewayError('SY_ERR_REQUEST_INVALID_JSON', 'We could not parse the JSON body of your request.')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('SY_ERR_REQUEST_INVALID_JSON', 'The request body must be a JSON object.')
  }
  const record = body as Record<string, unknown>
  if (typeof record.model !== 'string' || record.model.length === 0) {
    throw new GatewayError('SY_ERR_REQUEST_INVALID', "You must provide a model parameter ('<connection>/<model>').", { param: 'model' })
  }
  if (!isValidModelString(record.model)) {
    throw new GatewayError(
      'SY_ERR_REQUEST_INVALID',
      `The model parameter must be '<connection>/<model>' in at most ${MODEL_MAX_LENGTH} printable ASCII characters (no spaces or control characters).`,
      { param: 'model' },
    )
  }
  if (nestsDeeperThan(record)) {
    throw new GatewayError('SY_ERR_REQUEST_INVALID', `The request body nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep.`)
  }
  if (record.stream !== undefined && record.stream !== null && typeof record.stream !== 'boolean') {
    throw new GatewayError('SY_ERR_REQUEST_INVALID', "'stream' must be a boolean.", { param: 'stream' })
  }
  checkRequestShape(ctx.endpoint, record)
  const streamOptions = record.stream_options as { include_usage?: unknown } | null | undefined
  ctx.body = record
  ctx.requestedModel = record.model
  ctx.stream = record.stream === true
  ctx.clientWantsUsage = typeof streamOptions === 'object' && streamOptions !== null && streamOptions.include_usage === true
}
