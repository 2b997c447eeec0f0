import { GatewayError } from '../errors.ts'
import type { RequestContext } from './context.ts'

// 3. The key's allowedModels (exact `<conn>/<model>` or `<conn>/*`), before anything is
// resolved or sent upstream.

export function authorizeModel(ctx: RequestContext): void {
  const allowed = ctx.key?.allowedModels
  const model = ctx.requestedModel
  if (!allowed || model === null) return
  const slash = model.indexOf('/')
  const connection = slash === -1 ? null : model.slice(0, slash)
  if (allowed.exact.has(model) || (connection !== null && allowed.connections.has(connection))) return
  throw new GatewayError('SY_ERR_MODEL_NOT_ALLOWED', `This virtual key is not allowed to use the model '${model}'.`, { param: 'model' })
}
