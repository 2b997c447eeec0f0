import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { DEFAULT_REDIS_PREFIX } from './snapshot/redis-names.ts'

// The variables of CONTRACT.md shared by both planes, parsed once per process. Each plane's
// env module extends this; nothing else reads process.env.

const port = z.coerce.number().int().min(1).max(65535)

export const SwitchyardEnv = z.object({
  NODE_ENV: z.string().optional(),
  SWITCHYARD_HOST: z.string().min(1).default('127.0.0.1'),
  CONTROL_PLANE_PORT: port.default(3000),
  DATA_PLANE_PORT: port.default(8787),
  DATABASE_URL: z.string().min(1).optional(),
  EMBEDDED_PG_PORT: port.default(54329),
  SWITCHYARD_DATA_DIR: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  SWITCHYARD_REDIS_PREFIX: z.string().default(DEFAULT_REDIS_PREFIX),
  SWITCHYARD_MASTER_KEY: z.string().min(1).optional(),
  SWITCHYARD_PREVIOUS_MASTER_KEYS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: z.string().optional(),
})

export type SwitchyardEnv = z.infer<typeof SwitchyardEnv> & { production: boolean; allowPrivateUpstreams: string }

export class EnvError extends Error {
  override name = 'EnvError'
}

export function parseSwitchyardEnv(source: Record<string, string | undefined>): SwitchyardEnv {
  // An empty variable means unset (`REDIS_URL= npm start` is the embedded default).
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''))
  const result = SwitchyardEnv.safeParse(present)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new EnvError(`invalid environment:\n${lines.join('\n')}`)
  }
  const production = result.data.NODE_ENV === 'production'
  return {
    ...result.data,
    production,
    allowPrivateUpstreams: result.data.SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS ?? (production ? '' : 'loopback'),
  }
}

/** `SWITCHYARD_DATA_DIR`, or `.switchyard/` in the checkout (CONTRACT.md). */
export function resolveDataDir(env: Pick<SwitchyardEnv, 'SWITCHYARD_DATA_DIR'>): string {
  const checkout = fileURLToPath(new URL('../../', import.meta.url))
  return resolve(checkout, env.SWITCHYARD_DATA_DIR ?? '.switchyard')
}
