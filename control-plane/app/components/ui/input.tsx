import type { InputHTMLAttributes } from 'react'
import { cn } from './cn.ts'

export const CONTROL_CLASSES =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-inset disabled:bg-slate-50 disabled:text-slate-500'

export function controlClasses(invalid: boolean, className?: string): string {
  return cn(
    CONTROL_CLASSES,
    invalid ? 'ring-red-400 focus:ring-red-500' : 'ring-slate-300 focus:ring-indigo-600',
    className,
  )
}

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  const invalid = props['aria-invalid'] === true || props['aria-invalid'] === 'true'
  return <input className={controlClasses(invalid, className)} {...props} />
}
