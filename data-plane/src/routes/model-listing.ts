import { z } from 'zod'
import type { RuntimeConfig, RuntimeKey, RuntimeProvider } from '../runtime/compile.ts'

// What GET /v1/models lists for one virtual key: `<connection>/<model>` ids the key may call.
// Per connection of the key's team: the models the connection declares (`settings.models`,
// and an azure-openai connection's deployment aliases `settings.deployments`), plus the key's
// explicit `<connection>/<model>` allowedModels entries (a `<connection>/*` entry is a grant,
// not a model). Everything is filtered by the key's allowedModels. Pure; no upstream call.

export interface ListedModel {
  id: string
  /** The connection it belongs to (OpenAI's `owned_by`). */
  connection: string
}

const DeclaredModels = z.object({
  models: z.array(z.string().min(1)).optional().catch(undefined),
  deployments: z.record(z.string(), z.unknown()).optional().catch(undefined),
})

/** Where each provider type declares its models in `settings` (data, not branches). */
const DECLARES_DEPLOYMENTS: Readonly<Record<RuntimeProvider['type'], boolean>> = {
  openai: false,
  'openai-compatible': false,
  anthropic: false,
  'azure-openai': true,
  google: false,
  bedrock: false,
}

function declaredModels(provider: RuntimeProvider): string[] {
  const parsed = DeclaredModels.safeParse(provider.settings)
  if (!parsed.success) return []
  const aliases = DECLARES_DEPLOYMENTS[provider.type] ? Object.keys(parsed.data.deployments ?? {}) : []
  return [...(parsed.data.models ?? []), ...aliases]
}

function allows(key: RuntimeKey, connection: string, id: string): boolean {
  const allowed = key.allowedModels
  return allowed === null || allowed.exact.has(id) || allowed.connections.has(connection)
}

/** Route aliases the key may call. Later (route aliases issue): the team's routes, by name. */
export function routeAliasesFor(_runtime: RuntimeConfig, _key: RuntimeKey): ListedModel[] {
  return []
}

export function listModels(runtime: RuntimeConfig, key: RuntimeKey): ListedModel[] {
  const connections = runtime.connections.get(key.teamId) ?? new Map<string, RuntimeProvider>()
  const seen = new Set<string>()
  const listed: ListedModel[] = []
  const add = (connection: string, id: string) => {
    if (seen.has(id) || !allows(key, connection, id)) return
    seen.add(id)
    listed.push({ id, connection })
  }
  for (const [name, provider] of connections) {
    for (const model of declaredModels(provider)) add(name, `${name}/${model}`)
  }
  for (const id of key.allowedModels?.exact ?? []) {
    const slash = id.indexOf('/')
    const connection = id.slice(0, slash)
    if (slash > 0 && slash < id.length - 1 && connections.has(connection)) add(connection, id)
  }
  for (const alias of routeAliasesFor(runtime, key)) add(alias.connection, alias.id)
  return listed
}
