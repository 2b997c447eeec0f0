import { endpointUrl } from '../endpoint.ts'
import { passthroughBody } from '../passthrough-body.ts'
import type { EndpointCapability } from '../types.ts'
import { DEFAULT_ANTHROPIC_VERSION } from './version.ts'

// POST <baseUrl>/v1/messages/count_tokens: Anthropic's exact count (`{"input_tokens": n}`),
// the client's body with `model` replaced, `anthropic-version` / `anthropic-beta` forwarded.
// Counting is free upstream, so the gateway reads no usage from it.

export const anthropicCountTokens: EndpointCapability = {
  buildRequest(input) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-api-key': input.provider.apiKey,
      'anthropic-version': input.clientHeaders['anthropic-version'] ?? DEFAULT_ANTHROPIC_VERSION,
    }
    const beta = input.clientHeaders['anthropic-beta']
    if (beta !== undefined) headers['anthropic-beta'] = beta
    return { url: endpointUrl(input.provider, '/v1/messages/count_tokens'), method: 'POST', headers, body: passthroughBody(input) }
  },
  readResponse: () => ({ usage: null, model: null }),
}
