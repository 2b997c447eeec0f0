import { OPERATORS } from '@switchyard/shared/snapshot/plan'
import { Button } from '../ui/button.tsx'
import { FieldError, PathField, useEditor } from './editor-context.tsx'
import { NodeEditor } from './node-editor.tsx'
import { conditionText, conditionValue, type Draft, isDraft, type Json, newTarget, type Path, pathLabel } from './plan-draft.ts'

// A conditional node's rules as rows: field, operator, value, then the node it routes to; and
// the default. A rule with a compound condition (and / or / not) is shown as JSON: edit it in
// the JSON box beside the tree.

function simpleTest(when: Json | undefined): { field: string; op: string; value: Json | undefined } | null {
  if (!isDraft(when)) return null
  const keys = Object.keys(when)
  const field = keys[0]
  if (keys.length !== 1 || field === undefined || ['and', 'or', 'not'].includes(field)) return null
  const test = when[field]
  if (!isDraft(test)) return { field, op: 'eq', value: undefined }
  const op = Object.keys(test)[0] ?? 'eq'
  return { field, op, value: test[op] }
}

function listValue(op: string, text: string): Json {
  if (op === 'in' || op === 'nin') return text.split(',').map((v) => conditionValue(v.trim()))
  if (op === 'exists') return text.trim() !== 'false'
  return conditionValue(text)
}

function RuleRow({ rule, path, onRemove }: { rule: Draft; path: Path; onRemove: () => void }) {
  const editor = useEditor()
  const whenPath = [...path, 'when']
  const test = simpleTest(rule.when)
  const setTest = (field: string, op: string, value: Json) => editor.set(whenPath, { [field]: { [op]: value } })
  return (
    <div className="rounded-md border border-amber-200 bg-amber-50/40 p-3" data-rule-path={pathLabel(path)}>
      {test ? (
        <div className="flex flex-wrap items-end gap-3">
          <PathField label="When field" path={[...whenPath, test.field]} className="w-56">
            {(p) => <input {...p} placeholder="header.x-tier" value={test.field} onChange={(e) => setTest(e.target.value, test.op, test.value ?? '')} />}
          </PathField>
          <PathField label="Operator" path={[...whenPath, test.field, test.op]} className="w-28">
            {(p) => (
              <select {...p} value={test.op} onChange={(e) => setTest(test.field, e.target.value, e.target.value === 'exists' ? true : (test.value ?? ''))}>
                {OPERATORS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
            )}
          </PathField>
          <PathField label="Value" path={[...whenPath, test.field, test.op, 'value']} className="min-w-48 flex-1">
            {(p) => (
              <input
                {...p}
                placeholder={test.op === 'in' || test.op === 'nin' ? 'gold, silver' : 'gold'}
                value={Array.isArray(test.value) ? test.value.map(conditionText).join(', ') : conditionText(test.value)}
                onChange={(e) => setTest(test.field, test.op, listValue(test.op, e.target.value))}
              />
            )}
          </PathField>
          {editor.readOnly ? null : (
            <Button type="button" variant="secondary" onClick={onRemove} aria-label={`Remove rule ${pathLabel(path)}`}>
              Remove rule
            </Button>
          )}
        </div>
      ) : (
        <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-xs text-slate-700">when {JSON.stringify(rule.when)} (edit in JSON)</pre>
      )}
      <FieldError id={`${pathLabel(path)}-when`} path={whenPath} />
      <div className="mt-3">
        <p className="mb-1 text-xs font-medium text-slate-600">then</p>
        <NodeEditor node={rule.then ?? null} path={[...path, 'then']} />
      </div>
    </div>
  )
}

export function ConditionalEditor({ node, path }: { node: Draft; path: Path }) {
  const editor = useEditor()
  const rules = Array.isArray(node.rules) ? node.rules : []
  return (
    <div className="space-y-3">
      {rules.map((rule, i) =>
        isDraft(rule) ? <RuleRow key={i} rule={rule} path={[...path, 'rules', i]} onRemove={() => editor.set([...path, 'rules', i], undefined)} /> : null,
      )}
      <FieldError id={`${pathLabel(path)}-rules`} path={[...path, 'rules']} />
      {editor.readOnly ? null : (
        <Button
          type="button"
          variant="secondary"
          onClick={() => editor.set([...path, 'rules'], [...rules, { when: { 'header.x-tier': { eq: 'gold' } }, then: newTarget(editor.connections[0]) }])}
        >
          Add rule
        </Button>
      )}
      <div>
        <p className="mb-1 text-xs font-medium text-slate-600">default (no rule matched)</p>
        <NodeEditor node={node.default ?? null} path={[...path, 'default']} />
      </div>
    </div>
  )
}
