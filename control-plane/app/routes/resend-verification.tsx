import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { sendVerificationEmail } from '../services/auth-recovery.server.ts'
import { authDeps, redirectWithToast } from '../services/auth-route.server.ts'
import { requireUser, safeRedirect } from '../services/auth.server.ts'
import { consumeAttempt, THROTTLES } from '../services/throttle.server.ts'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireUser(request, context)
  const back = safeRedirect(new URL(request.headers.get('referer') ?? '/', request.url).pathname)
  if (user.emailVerifiedAt) return redirectWithToast(back, { kind: 'info', message: 'Your email is already confirmed.' }, context)
  const throttle = await consumeAttempt(context.services.db, THROTTLES.resetAccount, `verify:${user.email}`)
  if (!throttle.allowed) return redirectWithToast(back, { kind: 'error', message: 'We just sent one. Please check your inbox in a few minutes.' }, context)
  await sendVerificationEmail(authDeps(context), user)
  return redirectWithToast(back, { kind: 'success', message: `We sent a new confirmation link to ${user.email}.` }, context)
}
