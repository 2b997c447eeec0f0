import { renderAnthropicGatewayError, renderAnthropicStreamError, renderAnthropicUpstreamError } from './anthropic/error.ts'
import { parseAnthropicRequest } from './anthropic/request.ts'
import { renderAnthropicResponse } from './anthropic/response.ts'
import { createAnthropicStreamEncoder } from './anthropic/stream.ts'
import { renderOpenAIGatewayError, renderOpenAIStreamError, renderOpenAIUpstreamError } from './openai/error.ts'
import { parseOpenAIRequest } from './openai/request.ts'
import { renderOpenAIResponse } from './openai/response.ts'
import { createOpenAIStreamEncoder } from './openai/stream.ts'
import { renderResponsesGatewayError, renderResponsesStreamError, renderResponsesUpstreamError } from './responses/error.ts'
import { parseResponsesRequest } from './responses/request.ts'
import { renderResponsesResponse } from './responses/response.ts'
import { createResponsesStreamEncoder } from './responses/stream.ts'
import type { ClientApi, ClientDialect } from './types.ts'

// Client dialect → its translator. Adding a client API family is a folder plus one line here.
export const dialects = {
  openai: {
    parseRequest: parseOpenAIRequest,
    renderResponse: renderOpenAIResponse,
    createStreamEncoder: createOpenAIStreamEncoder,
    renderUpstreamError: renderOpenAIUpstreamError,
    renderGatewayError: renderOpenAIGatewayError,
    renderStreamError: renderOpenAIStreamError,
  },
  anthropic: {
    parseRequest: parseAnthropicRequest,
    renderResponse: renderAnthropicResponse,
    createStreamEncoder: () => createAnthropicStreamEncoder(),
    renderUpstreamError: renderAnthropicUpstreamError,
    renderGatewayError: renderAnthropicGatewayError,
    renderStreamError: renderAnthropicStreamError,
  },
  /** The OpenAI Responses API (POST /v1/responses), for connections that do not serve it natively. */
  responses: {
    parseRequest: parseResponsesRequest,
    renderResponse: renderResponsesResponse,
    createStreamEncoder: createResponsesStreamEncoder,
    renderUpstreamError: renderResponsesUpstreamError,
    renderGatewayError: renderResponsesGatewayError,
    renderStreamError: renderResponsesStreamError,
  },
} satisfies Record<ClientApi, ClientDialect>
