import { describeImage, exampleOf } from './fake-content.ts'

// What the fake Gemini answers, decided from a generateContent body as Gemini behaves: after
// functionResponse parts it reports what the tools said; with functionDeclarations (mode not
// NONE) it calls them (allowedFunctionNames honoured), arguments generated from each schema;
// with responseSchema it answers JSON matching it; with thinkingConfig.includeThoughts a thought
// part comes first; otherwise it echoes the last user turn (images described). It refuses what
// Gemini refuses: schema keywords outside its OpenAPI subset, a role other than user/model.

export interface GeminiPart {
  text?: string
  thought?: boolean
  inlineData?: { mimeType?: string; data?: string }
  functionCall?: { name: string; args: unknown }
  functionResponse?: { name?: string; response?: { content?: unknown; error?: unknown } }
}
interface Content {
  role?: string
  parts?: GeminiPart[]
}
export interface GenerateBody {
  contents?: Content[]
  systemInstruction?: { parts?: GeminiPart[] }
  tools?: { functionDeclarations?: { name: string; parameters?: unknown }[] }[]
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } }
  generationConfig?: { responseMimeType?: string; responseSchema?: unknown; thinkingConfig?: { includeThoughts?: boolean } }
}

export interface GeminiAnswer {
  prompt: string
  parts: GeminiPart[]
}

const SCHEMA_KEYS = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum'])

/** The first keyword Gemini's Schema message does not know, with its path. */
function unknownKeyword(schema: unknown, path: string): string | null {
  if (typeof schema !== 'object' || schema === null) return null
  for (const [key, value] of Object.entries(schema)) {
    if (!SCHEMA_KEYS.has(key)) return `${path}: Unknown name "${key}"`
    const subs = key === 'properties' && typeof value === 'object' && value !== null ? Object.entries(value) : key === 'items' ? [['items', value]] : []
    for (const [name, sub] of subs) {
      const found = unknownKeyword(sub, `${path}.${String(name)}`)
      if (found) return found
    }
  }
  return null
}

export function refusal(body: GenerateBody): string | null {
  for (const [i, content] of (body.contents ?? []).entries()) {
    if (content.role !== 'user' && content.role !== 'model') return `* GenerateContentRequest.contents[${i}].role: Please use a valid role: user, model.`
  }
  const schema = unknownKeyword(body.generationConfig?.responseSchema, 'generation_config.response_schema')
  if (schema) return `Invalid JSON payload received. ${schema}: Cannot find field.`
  for (const declaration of body.tools?.flatMap((t) => t.functionDeclarations ?? []) ?? []) {
    const found = unknownKeyword(declaration.parameters, `tools.function_declarations.${declaration.name}.parameters`)
    if (found) return `Invalid JSON payload received. ${found}: Cannot find field.`
  }
  return null
}

const partText = (part: GeminiPart): string =>
  typeof part.text === 'string' ? part.text : part.inlineData ? describeImage({ mediaType: part.inlineData.mimeType ?? '', data: part.inlineData.data ?? '' }) : ''

const textOf = (content: Content | undefined) => (content?.parts ?? []).map(partText).join('')

function calls(body: GenerateBody, text: string): GeminiPart[] {
  const config = body.toolConfig?.functionCallingConfig
  if (config?.mode === 'NONE') return []
  const allowed = config?.allowedFunctionNames
  const declarations = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []).filter((d) => !allowed || allowed.includes(d.name))
  return declarations.map((d) => ({ functionCall: { name: d.name, args: exampleOf(d.parameters, text) } }))
}

export function planGeminiAnswer(body: GenerateBody): GeminiAnswer {
  const contents = body.contents ?? []
  const prompt = [textOf(body.systemInstruction), ...contents.map(textOf)].join('\n')
  const lastUser = [...contents].reverse().find((c) => c.role === 'user')
  const userText = textOf(lastUser)
  const lead: GeminiPart[] = body.generationConfig?.thinkingConfig?.includeThoughts ? [{ text: `Considering: ${userText}`, thought: true }] : []
  const results = (contents.at(-1)?.parts ?? []).flatMap((p) => (p.functionResponse ? [p.functionResponse.response] : []))
  if (results.length > 0) {
    const said = results.map((r) => (typeof r?.content === 'string' ? r.content : JSON.stringify(r))).join(' | ')
    return { prompt, parts: [...lead, { text: `Tool said: ${said}` }] }
  }
  const called = calls(body, userText)
  if (called.length > 0) return { prompt, parts: [...lead, ...called] }
  const schema = body.generationConfig?.responseSchema
  return { prompt, parts: [...lead, { text: schema ? JSON.stringify(exampleOf(schema, userText)) : userText }] }
}
