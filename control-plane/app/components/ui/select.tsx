import type { SelectHTMLAttributes } from 'react'
import { controlClasses } from './input.tsx'

export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  const invalid = props['aria-invalid'] === true || props['aria-invalid'] === 'true'
  return <select className={controlClasses(invalid, `pr-8 ${className ?? ''}`)} {...props} />
}
