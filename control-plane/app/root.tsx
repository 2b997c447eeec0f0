import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { isRouteErrorResponse, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useNonce } from './components/nonce.tsx'
import { buttonClasses } from './components/ui/button.tsx'
import { Toaster } from './components/ui/toast.tsx'
import { readFlash } from './services/session-flash.server.ts'
import stylesheet from './tailwind.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesheet }]

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full bg-slate-50 text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { toast, clearCookie } = readFlash(request, context.services.config.production)
  return data({ toast }, clearCookie ? { headers: { 'Set-Cookie': clearCookie } } : undefined)
}

export default function App() {
  const { toast } = useLoaderData<typeof loader>()
  return (
    <>
      <Outlet />
      <Toaster toast={toast} />
    </>
  )
}

function errorMessage(error: unknown): string {
  if (!isRouteErrorResponse(error)) return 'Switchyard could not render this page.'
  // An unknown URL's data is the router's own `Error: No route matches URL "…"`.
  if (error.status === 404 && typeof error.data === 'string' && error.data.startsWith('Error: No route matches')) {
    return 'There is no page at this address.'
  }
  return typeof error.data === 'string' && error.data ? error.data : 'Switchyard could not render this page.'
}

export function ErrorBoundary() {
  const error = useRouteError()
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : 'Something went wrong'
  return (
    <main className="mx-auto flex min-h-full max-w-xl flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold text-indigo-600">Switchyard</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight text-slate-900">{title}</h1>
      <p className="mt-3 text-slate-600">
        {errorMessage(error)}
      </p>
      <div className="mt-8">
        <Link to="/" className={buttonClasses('secondary')}>
          Go to your dashboard
        </Link>
      </div>
    </main>
  )
}
