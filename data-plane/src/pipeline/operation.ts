import type { Dialect } from '../providers/types.ts'
import type { Target } from './context.ts'
import type { LocalAnswerSource, Serving } from '../plan/types.ts'

// What an endpoint is, as an input of the one stage list (pipeline/index.ts): every endpoint
// runs the same stages; its operation says how a resolved target serves it. The operations
// themselves live with their routes (routes/endpoint-operation.ts for chat, routes/openai/…,
// routes/anthropic/…, routes/models.ts).

export interface EndpointOperation {
  /** How the endpoint is named in error messages (`POST /v1/embeddings`). */
  label: string
  /** The request carries a JSON body with a model (parse-body reads it); false: GET /v1/models. */
  body: boolean
  /** One log event per request (false: the models listing, which calls no model). */
  metered: boolean
  /** An endpoint answered without a model (the models listing): the plan is this local answer. */
  local?: LocalAnswerSource
  /** How `target` serves this endpoint for a client of `dialect`; null: it cannot (a 400 naming the combination, before anything goes upstream). */
  serve(target: Target, dialect: Dialect): Serving | null
  /** Appended to the 400 for a connection the operation cannot serve (what to do instead). */
  unsupportedHint: string
}
