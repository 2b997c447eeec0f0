import { parseSwitchyardEnv, type SwitchyardEnv } from '@switchyard/shared/env'

// The only place the control plane's processes read process.env (CONVENTIONS: no hidden
// global state). Everything else receives the parsed env as an argument.

export function loadEnv(): SwitchyardEnv {
  return parseSwitchyardEnv(process.env)
}

/** The raw environment, for passing on to a child process (the data plane). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env }
}
