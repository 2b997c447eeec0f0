import { EnvError, parseSwitchyardEnv, type SwitchyardEnv } from '@switchyard/shared/env'
import { z } from 'zod'
import { type ConsoleConfig, parseConsoleConfig } from '../app/services/auth-config.server.ts'

// The only place the control plane's processes read process.env (CONVENTIONS: no hidden
// global state). Everything else receives the parsed env as an argument.

export function loadEnv(): SwitchyardEnv {
  return parseSwitchyardEnv(process.env)
}

/** The console's variables (SWITCHYARD_PUBLIC_URL, SMTP_URL, SMTP_FROM) on top of the shared ones. */
export function loadConsoleConfig(env: SwitchyardEnv): ConsoleConfig {
  try {
    const listen = { host: env.SWITCHYARD_HOST, port: env.CONTROL_PLANE_PORT }
    return { ...parseConsoleConfig(process.env, env.production, listen), dataPlanePort: env.DATA_PLANE_PORT }
  } catch (err) {
    if (err instanceof z.ZodError) {
      const lines = err.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
      throw new EnvError(`invalid environment:\n${lines.join('\n')}`)
    }
    throw err
  }
}

/** The raw environment, for passing on to a child process (the data plane). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env }
}
