import { DEFAULT_FALLBACK_ON, ERROR_KINDS } from '@switchyard/shared/snapshot/plan'
import { Button } from '../ui/button.tsx'
import { ConditionalEditor } from './conditional-editor.tsx'
import { FieldError, PathField, useEditor } from './editor-context.tsx'
import { convertNode, type Draft, isDraft, type Json, newTarget, NODE_TYPE_LABELS, NODE_TYPES, numberOrAbsent, type Path, pathLabel } from './plan-draft.ts'

// One node of the plan tree, built from form controls: its type, then what that type needs
// (a target's connection and model, a strategy's children, a fallback's error kinds, a hedge's
// delay, a conditional's rules), then the limits any node may carry. Recursive.

export function NodeEditor({ node, path, parentType, onRemove }: { node: Json; path: Path; parentType?: string; onRemove?: () => void }) {
  const editor = useEditor()
  if (!isDraft(node)) {
    return <p className="text-sm text-red-600">Not a plan node: fix it in the JSON.</p>
  }
  const type = typeof node.type === 'string' ? node.type : ''
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-3" data-node-path={pathLabel(path)}>
      <legend className="px-1 font-mono text-xs text-slate-500">{pathLabel(path)}</legend>
      <div className="flex flex-wrap items-end gap-3">
        <PathField label="Type" path={[...path, 'type']} className="w-56">
          {(p) => (
            <select {...p} value={type} onChange={(e) => editor.set(path, convertNode(node, e.target.value, editor.connections[0]))}>
              {(NODE_TYPES as readonly string[]).includes(type) ? null : <option value={type}>{type || '(none)'}</option>}
              {NODE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {NODE_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          )}
        </PathField>
        {parentType === 'weighted' ? (
          <PathField label="Weight" path={[...path, 'weight']} className="w-24">
            {(p) => <input {...p} inputMode="decimal" placeholder="1" value={String(node.weight ?? '')} onChange={(e) => editor.set([...path, 'weight'], numberOrAbsent(e.target.value))} />}
          </PathField>
        ) : null}
        {onRemove && !editor.readOnly ? (
          <Button type="button" variant="secondary" onClick={onRemove} aria-label={`Remove ${pathLabel(path)}`}>
            Remove
          </Button>
        ) : null}
      </div>
      <div className="mt-3 space-y-3">
        {type === 'target' ? <TargetFields node={node} path={path} /> : null}
        {type === 'fallback' ? <ErrorKinds node={node} path={path} /> : null}
        {type === 'hedge' ? (
          <PathField label="Delay (ms or p90)" path={[...path, 'delayMs']} className="w-40">
            {(p) => <input {...p} value={String(node.delayMs ?? '')} onChange={(e) => editor.set([...path, 'delayMs'], e.target.value === 'p90' ? 'p90' : numberOrAbsent(e.target.value))} />}
          </PathField>
        ) : null}
        {type === 'conditional' ? <ConditionalEditor node={node} path={path} /> : null}
        {Array.isArray(node.children) ? <Children node={node} path={path} type={type} /> : null}
        <Limits node={node} path={path} />
      </div>
    </fieldset>
  )
}

function TargetFields({ node, path }: { node: Draft; path: Path }) {
  const editor = useEditor()
  const model = typeof node.model === 'string' ? node.model : ''
  const slash = model.indexOf('/')
  const connection = slash < 0 ? model : model.slice(0, slash)
  const upstream = slash < 0 ? '' : model.slice(slash + 1)
  const modelPath = [...path, 'model']
  const options = editor.connections.includes(connection) || connection === '' ? editor.connections : [connection, ...editor.connections]
  return (
    <div className="flex flex-wrap gap-3">
      <PathField label="Connection" path={[...path, 'connection']} className="w-48">
        {(p) => (
          <select {...p} value={connection} onChange={(e) => editor.set(modelPath, `${e.target.value}/${upstream}`)}>
            {connection === '' ? <option value="">Choose…</option> : null}
            {options.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </PathField>
      <PathField label="Model" path={modelPath} className="min-w-64 flex-1">
        {(p) => <input {...p} placeholder="gpt-4o-mini" value={upstream} onChange={(e) => editor.set(modelPath, `${connection}/${e.target.value}`)} />}
      </PathField>
      <ParamsField node={node} path={path} />
    </div>
  )
}

function ParamsField({ node, path }: { node: Draft; path: Path }) {
  const editor = useEditor()
  const text = node.params === undefined ? '' : JSON.stringify(node.params)
  return (
    <PathField label="Parameter overrides (JSON)" path={[...path, 'params']} className="w-full">
      {(p) => (
        <input
          {...p}
          key={text}
          defaultValue={text}
          placeholder='{"temperature": 0.2}'
          onBlur={(e) => {
            const value = e.target.value.trim()
            if (value === '') return editor.set([...path, 'params'], undefined)
            try {
              editor.set([...path, 'params'], JSON.parse(value) as Json)
            } catch {
              editor.set([...path, 'params'], value)
            }
          }}
        />
      )}
    </PathField>
  )
}

function ErrorKinds({ node, path }: { node: Draft; path: Path }) {
  const editor = useEditor()
  const listed = Array.isArray(node.on) ? node.on.filter((k): k is string => typeof k === 'string') : null
  const active = listed ?? [...DEFAULT_FALLBACK_ON]
  function toggle(kind: string, on: boolean) {
    const next = ERROR_KINDS.filter((k) => (k === kind ? on : active.includes(k)))
    const isDefault = next.length === DEFAULT_FALLBACK_ON.length && next.every((k) => DEFAULT_FALLBACK_ON.includes(k))
    editor.set([...path, 'on'], isDefault ? undefined : next)
  }
  return (
    <div>
      <p className="text-xs font-medium text-slate-600">Move on after {listed ? '' : '(the default kinds)'}</p>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {ERROR_KINDS.map((kind) => (
          <label key={kind} className="flex items-center gap-1.5 text-sm text-slate-700">
            <input type="checkbox" disabled={editor.readOnly} checked={active.includes(kind)} onChange={(e) => toggle(kind, e.target.checked)} aria-label={`${kind} (${pathLabel(path)})`} />
            {kind}
          </label>
        ))}
      </div>
      <FieldError id={`${pathLabel(path)}-on`} path={[...path, 'on']} />
    </div>
  )
}

function Children({ node, path, type }: { node: Draft; path: Path; type: string }) {
  const editor = useEditor()
  const children = node.children as Json[]
  const add = (child: Draft) => editor.set([...path, 'children'], [...children, child])
  return (
    <div>
      <div className="space-y-3 border-l-2 border-indigo-100 pl-3">
        {children.map((child, i) => (
          <NodeEditor key={i} node={child} path={[...path, 'children', i]} parentType={type} onRemove={() => editor.set([...path, 'children', i], undefined)} />
        ))}
      </div>
      <FieldError id={`${pathLabel(path)}-children`} path={[...path, 'children']} />
      {editor.readOnly ? null : (
        <div className="mt-2 flex gap-2">
          <Button type="button" variant="secondary" onClick={() => add(newTarget(editor.connections[0]))} aria-label={`Add target (${pathLabel(path)})`}>
            Add target
          </Button>
          <Button type="button" variant="secondary" onClick={() => add({ type: 'fallback', children: [newTarget(editor.connections[0])] })} aria-label={`Add strategy (${pathLabel(path)})`}>
            Nest a strategy
          </Button>
        </div>
      )}
    </div>
  )
}

const TIMEOUTS = [
  ['connectMs', 'Connect (ms)'],
  ['firstTokenMs', 'First token (ms)'],
  ['idleMs', 'Idle between chunks (ms)'],
  ['totalMs', 'Total per attempt (ms)'],
] as const

function Limits({ node, path }: { node: Draft; path: Path }) {
  const editor = useEditor()
  const timeouts = isDraft(node.timeouts) ? node.timeouts : {}
  const open = node.retries !== undefined || node.deadlineMs !== undefined || node.timeouts !== undefined
  return (
    <details open={open} className="text-sm">
      <summary className="cursor-pointer text-xs font-medium text-slate-600">Retries and timeouts</summary>
      <div className="mt-2 flex flex-wrap gap-3">
        <PathField label="Retries" path={[...path, 'retries']} className="w-24">
          {(p) => <input {...p} inputMode="numeric" value={String(node.retries ?? '')} onChange={(e) => editor.set([...path, 'retries'], numberOrAbsent(e.target.value))} />}
        </PathField>
        <PathField label="Deadline, all attempts (ms)" path={[...path, 'deadlineMs']} className="w-48">
          {(p) => <input {...p} inputMode="numeric" value={String(node.deadlineMs ?? '')} onChange={(e) => editor.set([...path, 'deadlineMs'], numberOrAbsent(e.target.value))} />}
        </PathField>
        {TIMEOUTS.map(([key, label]) => (
          <PathField key={key} label={label} path={[...path, 'timeouts', key]} className="w-40">
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={String(timeouts[key] ?? '')}
                onChange={(e) => {
                  const next = { ...timeouts, [key]: numberOrAbsent(e.target.value) } as Draft
                  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k]
                  editor.set([...path, 'timeouts'], Object.keys(next).length === 0 ? undefined : next)
                }}
              />
            )}
          </PathField>
        ))}
      </div>
      <FieldError id={`${pathLabel(path)}-timeouts`} path={[...path, 'timeouts']} />
    </details>
  )
}
