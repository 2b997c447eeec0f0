import { parseRoutePlan } from '@switchyard/shared/snapshot/plan'
import { useMemo } from 'react'
import { EditorContext, type EditorState } from './editor-context.tsx'
import { NodeEditor } from './node-editor.tsx'
import { type Json, type Path, pretty, setAt } from './plan-draft.ts'

// The route editor: the plan as a tree of form controls and as JSON side by side, both editing
// one draft. Validation runs the shared schema in the browser on every change, and each message
// shows at its field (and in the list under the tree, with its JSON path).

export interface PlanDraftState {
  plan: Json
  json: string
  /** Set while the JSON box holds text that does not parse (the tree keeps the last good draft). */
  jsonError: string | null
}

export function initialDraft(plan: Json): PlanDraftState {
  return { plan, json: pretty(plan), jsonError: null }
}

/** Validation of a draft: messages by dotted path ('' = the plan itself). */
export function useValidation(draft: PlanDraftState, serverErrors: Record<string, string>, serverFor: string | null) {
  return useMemo(() => {
    const result = parseRoutePlan(draft.plan)
    const errors = new Map<string, string>()
    if (!result.success) for (const issue of result.issues) if (!errors.has(issue.path)) errors.set(issue.path, issue.message)
    // The server's findings (unknown connections) hold for the draft it judged, until it changes.
    if (serverFor === draft.json) for (const [path, message] of Object.entries(serverErrors)) if (!errors.has(path)) errors.set(path, message)
    return errors
  }, [draft, serverErrors, serverFor])
}

export function PlanEditor({
  draft,
  onChange,
  errors,
  connections,
  readOnly,
}: {
  draft: PlanDraftState
  onChange: (next: PlanDraftState) => void
  errors: Map<string, string>
  connections: string[]
  readOnly: boolean
}) {
  const editor: EditorState = {
    errors,
    connections,
    readOnly,
    set(path: Path, value: Json | undefined) {
      const plan = setAt(draft.plan, path, value)
      onChange({ plan, json: pretty(plan), jsonError: null })
    },
  }
  function editJson(text: string) {
    try {
      onChange({ plan: JSON.parse(text) as Json, json: text, jsonError: null })
    } catch (err) {
      onChange({ ...draft, json: text, jsonError: (err as Error).message })
    }
  }
  return (
    <EditorContext.Provider value={editor}>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-3" aria-label="Plan tree">
          <NodeEditor node={draft.plan} path={[]} />
          <IssueList errors={errors} />
        </div>
        <div>
          <label htmlFor="plan-json" className="block text-xs font-medium text-slate-600">
            Plan JSON (edits here update the tree)
          </label>
          <textarea
            id="plan-json"
            spellCheck={false}
            readOnly={readOnly}
            value={draft.json}
            onChange={(e) => editJson(e.target.value)}
            aria-invalid={draft.jsonError ? true : undefined}
            aria-describedby={draft.jsonError ? 'plan-json-error' : undefined}
            className="mt-1 block h-[32rem] w-full rounded-md border-0 bg-slate-950 p-3 font-mono text-xs text-slate-100 ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600"
          />
          {draft.jsonError ? (
            <p id="plan-json-error" className="mt-1 text-xs text-red-600">
              Not valid JSON: {draft.jsonError}
            </p>
          ) : null}
        </div>
      </div>
    </EditorContext.Provider>
  )
}

function IssueList({ errors }: { errors: Map<string, string> }) {
  const shown = 8
  if (errors.size === 0) {
    return (
      <p className="text-sm text-emerald-700" role="status">
        The plan is valid.
      </p>
    )
  }
  return (
    <div role="status" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
      <p className="font-medium">
        {errors.size} problem{errors.size === 1 ? '' : 's'} to fix before saving:
      </p>
      <ul className="mt-1 list-disc pl-5">
        {[...errors].slice(0, shown).map(([path, message]) => (
          <li key={path}>
            <code className="font-mono text-xs">{path || '(plan)'}</code>: {message}
          </li>
        ))}
      </ul>
    </div>
  )
}
