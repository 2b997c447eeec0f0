import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { AppShell } from '../components/app-shell.tsx'
import { setSessionActiveTeam } from '../models/session.server.ts'
import { shellData } from '../services/auth-route.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { can } from '../services/permissions.ts'

// Layout of every team page: membership of :team is required (another team's slug → 404).
// Child pages call requireTeamRole themselves with the permission they need.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.team.name} · Switchyard` : 'Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'team.read')
  // `/` returns to the team used last.
  if (auth.session.activeTeamId !== auth.team.id) await setSessionActiveTeam(context.services.db, auth.session.id, auth.team.id)
  const shell = await shellData(context, auth)
  return {
    ...shell,
    team: { slug: auth.team.slug, name: auth.team.name, role: auth.role },
    showOutbox: context.services.mailer.mode === 'outbox',
    showApiTokens: can(auth.role, 'adminTokens.manage'),
  }
}

export default function TeamLayout() {
  const { user, teams, team, showOutbox, showApiTokens } = useLoaderData<typeof loader>()
  return (
    <AppShell user={user} teams={teams} team={team} showOutbox={showOutbox} showApiTokens={showApiTokens}>
      <Outlet />
    </AppShell>
  )
}
