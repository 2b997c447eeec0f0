import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { PageHeader } from '../components/app-shell.tsx'
import { ActivityIcon, KeyIcon, PlugIcon, ServerIcon } from '../components/icons.tsx'
import { buttonClasses } from '../components/ui/button.tsx'
import { Card } from '../components/ui/card.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { teamOverview } from '../models/dashboard.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { can } from '../services/permissions.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team, role, user } = await requireTeamRole(request, context, params.team, 'team.read')
  const overview = await teamOverview(context.services.db, team.id, new Date(Date.now() - 24 * 60 * 60 * 1000))
  return { team, overview, canAddProvider: can(role, 'providers.write'), firstName: user.name.split(' ')[0] ?? '' }
}

function Stat(props: { label: string; value: number; icon: React.ReactNode; to: string }) {
  return (
    <Link to={props.to} className="group rounded-xl focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
      <Card className="flex items-center gap-4 px-5 py-4 transition-shadow group-hover:shadow-md">
        <span className="flex h-10 w-10 items-center justify-center rounded-lg bg-slate-100 text-slate-600" aria-hidden="true">
          {props.icon}
        </span>
        <span>
          <span className="block text-sm text-slate-500">{props.label}</span>
          <span className="block text-2xl font-semibold tabular-nums text-slate-900">{props.value}</span>
        </span>
      </Card>
    </Link>
  )
}

export default function Dashboard() {
  const { team, overview, canAddProvider, firstName } = useLoaderData<typeof loader>()
  const base = `/teams/${team.slug}`
  return (
    <>
      <PageHeader title={firstName ? `Welcome, ${firstName}` : 'Dashboard'} description={`An overview of ${team.name}.`} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Provider connections" value={overview.providers} icon={<ServerIcon />} to={`${base}/providers`} />
        <Stat label="Virtual keys" value={overview.virtualKeys} icon={<KeyIcon />} to={`${base}/virtual-keys`} />
        <Stat label="Requests, last 24 h" value={overview.requests} icon={<ActivityIcon />} to={`${base}/logs`} />
      </div>
      <div className="mt-8">
        {overview.providers === 0 ? (
          <EmptyState
            icon={<PlugIcon className="h-6 w-6" />}
            title="Connect your first provider"
            description="Add an OpenAI, Anthropic or other provider key. It is encrypted in the vault and never shown again; then create a virtual key for your apps."
            action={
              canAddProvider ? (
                <Link to={`${base}/providers`} className={buttonClasses('primary')}>
                  Add a provider connection
                </Link>
              ) : (
                <p className="text-sm text-slate-500">Ask a team admin to add one.</p>
              )
            }
          />
        ) : overview.virtualKeys === 0 ? (
          <EmptyState
            icon={<KeyIcon className="h-6 w-6" />}
            title="Create a virtual key"
            description="Your apps call Switchyard with a virtual key, never with your provider keys."
            action={
              <Link to={`${base}/virtual-keys`} className={buttonClasses('primary')}>
                Create a virtual key
              </Link>
            }
          />
        ) : null}
      </div>
    </>
  )
}
