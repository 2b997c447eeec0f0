import { replaceMembers } from '../json/members.ts'
import type { ChatRequestInput } from './types.ts'

// The body a passthrough request sends upstream: the client's own bytes with `model` replaced
// by the upstream model id (and any other top-level member the adapter must set), spliced in
// place (json/members.ts) — never re-serialized, so the provider sees what the client sent.

export function passthroughBody(input: Pick<ChatRequestInput, 'body' | 'rawBody' | 'upstreamModel'>, members?: Readonly<Record<string, unknown>>): Buffer | string {
  const replacements: Record<string, string> = { model: JSON.stringify(input.upstreamModel) }
  for (const name in members) replacements[name] = JSON.stringify(members[name])
  const spliced = input.rawBody ? replaceMembers(input.rawBody, replacements, input.body) : null
  return spliced ?? JSON.stringify({ ...input.body, ...members, model: input.upstreamModel })
}
