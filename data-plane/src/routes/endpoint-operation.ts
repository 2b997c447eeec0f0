import { dialects } from '../dialects/registry.ts'
import type { EndpointOperation } from '../pipeline/operation.ts'
import type { Serving } from '../plan/types.ts'
import type { Dialect } from '../providers/types.ts'

export type { EndpointOperation } from '../pipeline/operation.ts'
export type { LocalAnswer } from '../pipeline/local-answer.ts'

// Every endpoint runs the one stage list (pipeline/index.ts); its operation says how a
// resolved target serves it (pipeline/operation.ts `serve`):
//   - passthrough: the same API family, the upstream's bytes (relay/passthrough.ts); for the
//     endpoints beyond chat through the adapter's capability for it (providers/types.ts
//     EndpointCapability), the stream pipe optionally decorated (e.g. the Responses API's own
//     in-band error event);
//   - translate: through a client dialect (the client's own family for chat; the Responses API
//     for connections that do not serve it), relayed by relay/translated.ts;
//   - local: answered without an upstream call (a token-count estimate);
//   - none: a 400 naming the unsupported combination, before anything goes upstream.

// Made once: the chat path allocates no serving per request.
const PASSTHROUGH: Serving = { kind: 'passthrough' }
const TRANSLATE: Record<Dialect, Serving> = { openai: { kind: 'translate', client: dialects.openai }, anthropic: { kind: 'translate', client: dialects.anthropic } }

/** Chat Completions and Messages: same family passes through, the other is translated (the plan stage has refused a connection without a translator). */
export const chatOperation: EndpointOperation = {
  label: 'Chat',
  body: true,
  metered: true,
  serve: (target, dialect) => (target.adapter.wire === dialect ? PASSTHROUGH : TRANSLATE[dialect]),
  unsupportedHint: '',
}
