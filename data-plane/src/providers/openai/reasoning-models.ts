// Which models behind an OpenAI-wire connection take `reasoning_effort`. OpenAI refuses it
// (400 "Unsupported parameter") on its chat models that do not reason, and Anthropic clients
// ask for reasoning on every request (Claude Code: adaptive thinking + output_config.effort),
// so a translation to one of those models drops it, named, instead of failing the request.
// Only OpenAI's own non-reasoning families are listed (matched on the id's last path segment,
// so `openai/gpt-4o` through a router counts too); any other model gets the effort, as before.

const NON_REASONING = [/^gpt-4/, /^gpt-3\.5/, /^chatgpt-/]

export function takesReasoningEffort(upstreamModel: string): boolean {
  const id = upstreamModel.slice(upstreamModel.lastIndexOf('/') + 1).toLowerCase()
  return !NON_REASONING.some((family) => family.test(id))
}
