import { createContext, type ReactNode, useContext, useId } from 'react'
import { controlClasses } from '../ui/input.tsx'
import { type Json, type Path, pathKey, pathLabel } from './plan-draft.ts'

// What every part of the tree editor needs: the validation messages by JSON path, the team's
// connections, whether it is read-only, and how to change the draft.

export interface EditorState {
  errors: Map<string, string>
  connections: string[]
  readOnly: boolean
  set(path: Path, value: Json | undefined): void
}

export const EditorContext = createContext<EditorState>({ errors: new Map(), connections: [], readOnly: true, set: () => {} })

export function useEditor(): EditorState {
  return useContext(EditorContext)
}

/** The message at a JSON path, rendered where the field is; `data-error-path` lets tests find it. */
export function FieldError({ id, path }: { id: string; path: Path }) {
  const message = useEditor().errors.get(pathKey(path))
  if (!message) return null
  return (
    <p id={id} data-error-path={pathKey(path)} className="mt-1 text-xs text-red-600">
      {message}
    </p>
  )
}

/** A small labelled control bound to a JSON path: label, control, and the error at that path. */
export function PathField({ label, path, className, children }: { label: string; path: Path; className?: string; children: (p: ControlProps) => ReactNode }) {
  const { errors, readOnly } = useEditor()
  const id = useId()
  const errorId = `${id}-error`
  const invalid = errors.has(pathKey(path))
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <div className="mt-1">
        {children({
          id,
          'aria-label': `${label} (${pathLabel(path.slice(0, -1))})`,
          'aria-invalid': invalid ? true : undefined,
          'aria-describedby': invalid ? errorId : undefined,
          disabled: readOnly,
          className: controlClasses(invalid, 'py-1.5'),
        })}
      </div>
      <FieldError id={errorId} path={path} />
    </div>
  )
}

export interface ControlProps {
  id: string
  'aria-label': string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
  disabled: boolean
  className: string
}
