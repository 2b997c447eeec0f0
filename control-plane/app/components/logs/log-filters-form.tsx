import { Form, Link } from '@remix-run/react'
import { useState } from 'react'
import { Button, buttonClasses } from '../ui/button.tsx'
import { Field, SelectField } from '../ui/field.tsx'
import { type LogFilters, OUTCOME_LABELS, RANGES, type RangeKey, STATUS_FILTERS } from './log-query.ts'

// The filters as a GET form: submitting it changes the URL, so every view can be shared.

export interface FilterOptions {
  keys: { id: string; name: string; revoked: boolean }[]
  providers: string[]
}

function FilterFields({ filters, options }: { filters: LogFilters; options: FilterOptions }) {
  return (
    <>
      <SelectField label="Status" name="status" defaultValue={filters.status ?? ''}>
        <option value="">Any status</option>
        {Object.entries(STATUS_FILTERS).map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Outcome" name="outcome" defaultValue={filters.outcome ?? ''}>
        <option value="">Any outcome</option>
        {Object.entries(OUTCOME_LABELS).map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </SelectField>
      <Field label="Model" name="model" defaultValue={filters.model ?? ''} placeholder="e.g. gpt-4o-mini" />
      <SelectField label="Provider" name="provider" defaultValue={filters.provider ?? ''}>
        <option value="">Any provider</option>
        {options.providers.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </SelectField>
      <SelectField label="Virtual key" name="key" defaultValue={filters.key ?? ''}>
        <option value="">Any key</option>
        {options.keys.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name}
            {k.revoked ? ' (revoked)' : ''}
          </option>
        ))}
      </SelectField>
    </>
  )
}

export function LogFiltersForm({ filters, options }: { filters: LogFilters; options: FilterOptions }) {
  const [range, setRange] = useState<RangeKey>(filters.range)
  return (
    <Form method="get" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" aria-label="Filter request logs">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField label="Time range" name="range" value={range} onChange={(e) => setRange(e.target.value as RangeKey)}>
          {Object.entries(RANGES).map(([key, r]) => (
            <option key={key} value={key}>
              {r.label}
            </option>
          ))}
        </SelectField>
        <FilterFields filters={filters} options={options} />
      </div>
      {range === 'custom' ? (
        <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field label="From (UTC)" name="from" type="datetime-local" defaultValue={filters.from ?? ''} />
          <Field label="To (UTC)" name="to" type="datetime-local" defaultValue={filters.to ?? ''} />
        </div>
      ) : null}
      <div className="mt-4 flex items-center justify-end gap-2">
        <Link to="?" className={buttonClasses('ghost', 'sm')}>
          Clear filters
        </Link>
        <Button type="submit" size="sm">
          Apply filters
        </Button>
      </div>
    </Form>
  )
}
