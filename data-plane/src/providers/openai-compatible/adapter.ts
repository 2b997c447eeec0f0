import { endpointUrl } from '../endpoint.ts'
import { OPENAI_PATHS } from '../openai/adapter.ts'
import { createOpenAIFamilyAdapter } from '../openai/family.ts'
import { quirksFor } from './quirks.ts'

// Any OpenAI-compatible server (Groq, Mistral, DeepSeek, Together, Fireworks, xAI, OpenRouter,
// Ollama, vLLM, …): OpenAI's paths and Bearer auth under the connection's base URL, with the
// server's quirks (quirks.ts, by host) applied. Chat completions and embeddings; the Responses
// API is OpenAI's own (a compatible server that has it is not assumed to).

export const openaiCompatibleAdapter = createOpenAIFamilyAdapter({
  url: (provider, operation) => endpointUrl(provider, OPENAI_PATHS[operation]),
  authHeaders: (provider) => ({ authorization: `Bearer ${provider.apiKey}` }),
  quirks: (provider) => quirksFor(provider.baseUrl),
  serves: { embeddings: true, responses: false },
})
