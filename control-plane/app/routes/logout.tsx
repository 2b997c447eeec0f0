import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { endSessionCookie, getOptionalAuth } from '../services/auth.server.ts'
import { invalidateSession, invalidateUserSessions } from '../services/session.server.ts'

// POST /logout ends this session; with intent=everywhere, every session of the account.
export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await getOptionalAuth(request, context)
  const form = await request.formData()
  const everywhere = form.get('intent') === 'everywhere'
  if (auth) {
    if (everywhere) await invalidateUserSessions(context.services.db, auth.user.id)
    else await invalidateSession(context.services.db, auth.session.id)
  }
  const message = everywhere ? 'You are logged out on every device.' : 'You are logged out.'
  return redirectWithToast('/login', { kind: 'info', message }, context, [endSessionCookie(context)])
}
