// Part of 2. (parse-body): bounds on what a caller may send that the gateway itself acts on,
// checked once the JSON is parsed and before anything reads it further.
//
//   - The model string is echoed into `x-switchyard-model`, logs and upstream URL paths: at most
//     MODEL_MAX_LENGTH characters, printable ASCII without spaces (every provider's model ids,
//     connection names and route aliases are).
//   - Nesting depth: the translators walk bodies recursively (tool schemas most of all), so a
//     10,000-deep schema would overflow the stack. Bodies deeper than MAX_NESTING_DEPTH objects
//     and arrays are refused. The walk is iterative, over a stack reused by every request (the
//     pipeline's stages are synchronous), and touches each object and array once.

export const MODEL_MAX_LENGTH = 256
export const MAX_NESTING_DEPTH = 128

/** `!` to `~`: printable ASCII, no space, no control character, nothing outside ASCII. */
export function isValidModelString(model: string): boolean {
  if (model.length === 0 || model.length > MODEL_MAX_LENGTH) return false
  for (let i = 0; i < model.length; i++) {
    const c = model.charCodeAt(i)
    if (c < 0x21 || c > 0x7e) return false
  }
  return true
}

const pending: object[] = []
const depths: number[] = []

function push(value: unknown, depth: number): void {
  if (typeof value === 'object' && value !== null) {
    pending.push(value)
    depths.push(depth)
  }
}

/** True when `root` holds objects or arrays nested more than `max` deep (root = depth 1). */
export function nestsDeeperThan(root: object, max: number = MAX_NESTING_DEPTH): boolean {
  push(root, 1)
  try {
    while (pending.length > 0) {
      const value = pending.pop() as object
      const depth = depths.pop() as number
      if (depth > max) return true
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) push(value[i], depth + 1)
      } else {
        const record = value as Record<string, unknown>
        for (const name in record) push(record[name], depth + 1)
      }
    }
    return false
  } finally {
    // Drop the references (an early return leaves entries behind).
    pending.length = 0
    depths.length = 0
  }
}
