import { Form, Link, NavLink } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ActivityIcon, ChevronDownIcon, CodeIcon, CogIcon, HomeIcon, InboxIcon, KeyIcon, RouteIcon, ServerIcon, ShieldIcon, UsersIcon } from './icons.tsx'
import { Logo } from './logo.tsx'
import { cn, FOCUS_RING } from './ui/cn.ts'

// The console's frame: header (logo, team switcher, user menu), team navigation, the
// email-verification banner, and the page. Menus are <details> elements: keyboard and
// screen-reader accessible without JavaScript.

export interface ShellUser {
  name: string
  email: string
  emailVerified: boolean
}

export interface ShellTeam {
  slug: string
  name: string
  role: string
}

interface NavItem {
  to: string
  label: string
  icon: (p: { className?: string }) => ReactNode
  end?: boolean
}

function teamNav(slug: string, showOutbox: boolean, showApiTokens = false): NavItem[] {
  const base = `/teams/${slug}`
  const items: NavItem[] = [
    { to: base, label: 'Dashboard', icon: HomeIcon, end: true },
    { to: `${base}/providers`, label: 'Providers', icon: ServerIcon },
    { to: `${base}/virtual-keys`, label: 'Virtual keys', icon: KeyIcon },
    { to: `${base}/routes`, label: 'Routes', icon: RouteIcon },
    { to: `${base}/logs`, label: 'Logs', icon: ActivityIcon },
    { to: `${base}/members`, label: 'Members', icon: UsersIcon },
    { to: `${base}/audit`, label: 'Audit', icon: ShieldIcon },
    { to: `${base}/settings`, label: 'Settings', icon: CogIcon },
  ]
  if (showApiTokens) items.splice(items.length - 1, 0, { to: `${base}/api-tokens`, label: 'API tokens', icon: CodeIcon })
  if (showOutbox) items.push({ to: `${base}/outbox`, label: 'Outbox', icon: InboxIcon })
  return items
}

const MENU_PANEL = 'absolute z-40 mt-2 w-64 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 shadow-lg'
const MENU_ITEM = cn('block w-full px-4 py-2 text-left text-sm text-slate-700 hover:bg-slate-50', FOCUS_RING)

function TeamSwitcher({ teams, current }: { teams: ShellTeam[]; current: ShellTeam | null }) {
  return (
    <details className="group relative">
      <summary className={cn('flex cursor-pointer list-none items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100', FOCUS_RING)}>
        <span className="flex h-6 w-6 items-center justify-center rounded bg-indigo-100 text-xs font-semibold text-indigo-700" aria-hidden="true">
          {(current?.name ?? '?').slice(0, 1).toUpperCase()}
        </span>
        <span className="max-w-[10rem] truncate">{current?.name ?? 'Choose a team'}</span>
        <span className="sr-only">: switch team</span>
        <ChevronDownIcon className="h-4 w-4 text-slate-400" />
      </summary>
      {/* Shifted left on phones so the menu stays on screen (the switcher sits mid-header). */}
      <div className={cn(MENU_PANEL, '-left-24 sm:left-0')}>
        <p className="px-4 pb-1 pt-2 text-xs font-semibold uppercase tracking-wide text-slate-400">Your teams</p>
        <ul>
          {teams.map((t) => (
            <li key={t.slug}>
              <Link to={`/teams/${t.slug}`} className={cn(MENU_ITEM, 'flex items-center justify-between')} aria-current={t.slug === current?.slug ? 'page' : undefined}>
                <span className="truncate">{t.name}</span>
                <span className="text-xs capitalize text-slate-400">{t.role}</span>
              </Link>
            </li>
          ))}
        </ul>
        <div className="mt-1 border-t border-slate-100 pt-1">
          <Link to="/teams/new" className={cn(MENU_ITEM, 'font-medium text-indigo-700')}>
            + New team
          </Link>
        </div>
      </div>
    </details>
  )
}

function UserMenu({ user }: { user: ShellUser }) {
  return (
    <details className="relative">
      <summary className={cn('flex cursor-pointer list-none items-center gap-2 rounded-full p-0.5 hover:bg-slate-100', FOCUS_RING)}>
        <span className="flex h-8 w-8 items-center justify-center rounded-full bg-slate-800 text-sm font-medium text-white" aria-hidden="true">
          {(user.name || user.email).slice(0, 1).toUpperCase()}
        </span>
        <span className="sr-only">Account menu</span>
      </summary>
      <div className={cn(MENU_PANEL, 'right-0')}>
        <div className="border-b border-slate-100 px-4 py-3">
          <p className="truncate text-sm font-medium text-slate-900">{user.name || 'Your account'}</p>
          <p className="truncate text-sm text-slate-500">{user.email}</p>
        </div>
        <Link to="/settings" className={MENU_ITEM}>
          Account settings
        </Link>
        <Form method="post" action="/logout">
          <button type="submit" className={MENU_ITEM}>
            Log out
          </button>
        </Form>
      </div>
    </details>
  )
}

function VerifyBanner({ email }: { email: string }) {
  return (
    <div className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm text-amber-900 sm:px-6">
        <p>
          Please confirm your email address: we sent a link to <strong className="font-medium">{email}</strong>.
        </p>
        <Form method="post" action="/resend-verification">
          <button type="submit" className={cn('rounded font-medium underline underline-offset-2 hover:text-amber-700', FOCUS_RING)}>
            Send it again
          </button>
        </Form>
      </div>
    </div>
  )
}

function TeamNav({ items }: { items: NavItem[] }) {
  return (
    <nav aria-label="Team" className="flex flex-wrap gap-1 md:flex-col md:flex-nowrap">
      {items.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          end={item.end ?? false}
          prefetch="intent"
          className={({ isActive }) =>
            cn(
              'flex shrink-0 items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors md:gap-3 md:px-3 md:py-2',
              FOCUS_RING,
              isActive ? 'bg-white text-indigo-700 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:bg-white/70 hover:text-slate-900',
            )
          }
        >
          <item.icon className="hidden h-5 w-5 flex-none md:block" />
          {item.label}
        </NavLink>
      ))}
    </nav>
  )
}

export function AppShell(props: {
  user: ShellUser
  teams: ShellTeam[]
  /** The team whose navigation shows; null on pages outside a team (account settings). */
  team: ShellTeam | null
  /** The team named in the switcher when `team` is null (the one used last). */
  switcherTeam?: ShellTeam | null
  showOutbox?: boolean
  /** Managers (adminTokens.manage) see the API tokens page. */
  showApiTokens?: boolean
  children: ReactNode
}) {
  const nav = props.team ? teamNav(props.team.slug, props.showOutbox ?? false, props.showApiTokens ?? false) : null
  return (
    <div className="min-h-full">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 sm:px-6">
          <Link to="/" className={cn('rounded', FOCUS_RING)} aria-label="Switchyard home">
            <Logo compact />
          </Link>
          <span className="text-slate-300" aria-hidden="true">/</span>
          <TeamSwitcher teams={props.teams} current={props.team ?? props.switcherTeam ?? null} />
          <div className="ml-auto">
            <UserMenu user={props.user} />
          </div>
        </div>
      </header>
      {props.user.emailVerified ? null : <VerifyBanner email={props.user.email} />}
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-8 md:py-8">
        {nav ? (
          <aside className="md:w-56 md:flex-none">
            <TeamNav items={nav} />
          </aside>
        ) : null}
        <main id="main" className="min-w-0 flex-1">
          {props.children}
        </main>
      </div>
    </div>
  )
}

/** The title row of a page. */
export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{props.title}</h1>
        {props.description ? <p className="mt-1 text-sm text-slate-500">{props.description}</p> : null}
      </div>
      {props.actions ? <div className="flex items-center gap-2">{props.actions}</div> : null}
    </div>
  )
}
