import { z } from 'zod'
import { GatewayError } from '../../errors.ts'
import type { RuntimeProvider } from '../../runtime/compile.ts'

// An `azure-openai` connection's settings: `apiVersion` (the `api-version` query parameter) and
// `deployments`, model alias → deployment name (a model id with no entry is taken as the
// deployment's own name). Parsed once per compiled connection (cached by its settings object).

export const DEFAULT_AZURE_API_VERSION = '2024-10-21'

export const AzureSettings = z.object({
  apiVersion: z.string().min(1).default(DEFAULT_AZURE_API_VERSION),
  deployments: z.record(z.string(), z.string().min(1)).default({}),
})
export type AzureSettings = z.infer<typeof AzureSettings>

const parsed = new WeakMap<object, AzureSettings>()

export function azureSettings(provider: RuntimeProvider): AzureSettings {
  let settings = parsed.get(provider.settings)
  if (!settings) {
    const result = AzureSettings.safeParse(provider.settings)
    if (!result.success) {
      throw new GatewayError('SY_ERR_PROVIDER_MISCONFIGURED', `Provider connection '${provider.name}' has invalid Azure settings (apiVersion, deployments).`)
    }
    settings = result.data
    parsed.set(provider.settings, settings)
  }
  return settings
}

/** The deployment serving `model`: its alias entry, else the model id itself. */
export function deploymentOf(provider: RuntimeProvider, model: string): string {
  return azureSettings(provider).deployments[model] ?? model
}
