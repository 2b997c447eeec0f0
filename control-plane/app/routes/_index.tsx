import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { listMembershipsOfUser } from '../models/team.server.ts'
import { getOptionalAuth } from '../services/auth.server.ts'

// `/`: the team the user last worked in (or their first), the login page when signed out.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getOptionalAuth(request, context)
  if (!auth) return redirect('/login')
  const memberships = await listMembershipsOfUser(context.services.db, auth.user.id)
  const team = memberships.find((m) => m.team.id === auth.session.activeTeamId) ?? memberships[0]
  return redirect(team ? `/teams/${team.team.slug}` : '/teams/new')
}
