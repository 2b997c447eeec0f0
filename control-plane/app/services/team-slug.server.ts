import type { DbClient } from '../lib/db.server.ts'
import { listSlugsStartingWith } from '../models/team.server.ts'

// Team slugs appear in console URLs (/teams/<slug>/…), so a slug must never shadow a fixed
// route under /teams.
const RESERVED_SLUGS = new Set(['new'])

export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
  return slug || 'team'
}

/** `base`, or `base-2`, `base-3`, … : the first slug no team holds and no route reserves. */
export async function freeTeamSlug(db: DbClient, name: string): Promise<string> {
  const base = slugify(name)
  const taken = new Set([...(await listSlugsStartingWith(db, base)), ...RESERVED_SLUGS])
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}
