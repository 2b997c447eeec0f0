import { Outlet } from '@remix-run/react'

// Pathless layout of the signed-out pages (login, signup, password reset, email verification).
// Each page renders <AuthLayout>; pages for signed-out users only call requireAnonymous.
export default function AuthPages() {
  return <Outlet />
}
