import { isRouteErrorResponse, Link, useParams, useRouteError } from '@remix-run/react'
import { Alert } from './ui/alert.tsx'
import { buttonClasses } from './ui/button.tsx'

// A page's error boundary: renders inside the team layout (the navigation stays), with a
// message per status (403: the role does not allow it; 404: not in this team).

const MESSAGES: Record<number, string> = {
  403: 'Your role in this team does not allow this. Ask a team admin if you need it.',
  404: 'This page does not exist in this team, or it was deleted.',
}

export function RouteErrorBoundary() {
  const error = useRouteError()
  const { team } = useParams()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const title = status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Something went wrong'
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <Alert>{MESSAGES[status] ?? 'Switchyard could not load this page. Try again in a moment.'}</Alert>
      {team ? (
        <Link to={`/teams/${team}`} className={buttonClasses('secondary')}>
          Back to the dashboard
        </Link>
      ) : null}
    </div>
  )
}
