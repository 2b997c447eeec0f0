import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'

export const meta: MetaFunction = () => [{ title: 'Status · Switchyard' }]

export async function loader({ context }: LoaderFunctionArgs) {
  return context.services.status()
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  )
}

export default function Index() {
  const status = useLoaderData<typeof loader>()
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      <h1 className="text-3xl font-bold tracking-tight">Switchyard</h1>
      <p className="mt-2 text-slate-600">Self-hosted LLM gateway — control plane status.</p>
      <dl className="mt-8 grid grid-cols-2 gap-4 sm:grid-cols-4" aria-label="status">
        <Stat label="Snapshot version" value={status.snapshotVersion ?? '—'} />
        <Stat label="Teams" value={status.teams} />
        <Stat label="Provider connections" value={status.providers} />
        <Stat label="Virtual keys" value={status.virtualKeys} />
      </dl>
      <p className="mt-6 text-sm text-slate-500">
        Configuration bus: {status.infra === 'redis' ? 'Redis' : 'in-process'}.
      </p>
      <section className="mt-10">
        <h2 className="text-lg font-semibold">Admin API</h2>
        <p className="mt-1 text-slate-600">
          Create a token with <code className="rounded bg-slate-100 px-1">npm run cli -- bootstrap</code>, then see the{' '}
          <a className="text-indigo-600 underline" href="/api/v1/openapi.json">
            OpenAPI description
          </a>
          .
        </p>
        <p className="mt-4">
          <a className="text-indigo-600 underline" href="/login">
            Log in to the console
          </a>
        </p>
      </section>
    </main>
  )
}
