import { endpointUrl, pathSegment } from '../endpoint.ts'
import { createOpenAIFamilyAdapter, type OpenAIOperation } from '../openai/family.ts'
import { NO_QUIRKS } from '../openai/quirks.ts'
import { azureSettings, deploymentOf } from './settings.ts'

// Azure OpenAI: the OpenAI wire at
// `<baseUrl>/openai/deployments/<deployment>/<operation>?api-version=<settings.apiVersion>`,
// authenticated with `api-key: <key>` (not Authorization). Error bodies are OpenAI-shaped and
// content-filter results (`finish_reason: "content_filter"`, `prompt_filter_results`,
// `content_filter_results`) are part of the relayed body. OpenAI clients pass through; Anthropic
// clients get the OpenAI family's translator. The Responses API is not served (yet).

/** Per deployment (`responses` is never requested: `serves.responses` is false). */
const PATHS: Record<OpenAIOperation, string> = { chat: '/chat/completions', embeddings: '/embeddings', responses: '/responses' }

export const azureOpenaiAdapter = createOpenAIFamilyAdapter({
  url(provider, operation, upstreamModel) {
    const url = new URL(endpointUrl(provider, `/openai/deployments/${pathSegment(deploymentOf(provider, upstreamModel))}${PATHS[operation]}`))
    url.searchParams.set('api-version', azureSettings(provider).apiVersion)
    return url
  },
  authHeaders: (provider) => ({ 'api-key': provider.apiKey }),
  quirks: () => NO_QUIRKS,
  serves: { embeddings: true, responses: false },
})
