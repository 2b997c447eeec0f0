import { parseSwitchyardEnv, type SwitchyardEnv } from '@switchyard/shared/env'

// The only module of the data plane that reads process.env.
export function loadEnv(source: Record<string, string | undefined> = process.env): SwitchyardEnv {
  return parseSwitchyardEnv(source)
}
