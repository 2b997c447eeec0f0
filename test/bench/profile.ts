import { readFileSync } from 'node:fs'
import { REPO_ROOT } from '../support/processes.ts'

// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per area
// (Switchyard's own files, each npm package, Node internals, GC), as shares of the busy time.

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface ProfileRow {
  name: string
  selfMs: number
  percent: number
}

export interface ProfileSummary {
  busyMs: number
  idleMs: number
  functions: ProfileRow[]
  areas: ProfileRow[]
}

function shortUrl(url: string): string {
  let u = url.replace(/^file:\/\//, '')
  const nm = u.lastIndexOf('node_modules/')
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length)
  if (u.startsWith(REPO_ROOT)) u = u.slice(REPO_ROOT.length + 1)
  return u
}

function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame
  if (!url) {
    if (functionName.startsWith('(')) return functionName
    return '(native / V8 builtins)'
  }
  if (url.startsWith('node:')) {
    const mod = url.replace(/^node:(internal\/)?/, '').split('/').slice(0, 2).join('/')
    return `node:${mod}`
  }
  const u = url.replace(/^file:\/\//, '')
  const nm = u.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? u)
  }
  const rel = shortUrl(url)
  if (rel.startsWith('data-plane/src/')) return `switchyard ${rel.slice('data-plane/src/'.length)}`
  if (rel.startsWith('shared/src/')) return `shared ${rel.slice('shared/src/'.length)}`
  return rel
}

/**
 * `fromUs`: only samples taken after this CLOCK_MONOTONIC time (µs, process.hrtime), so the
 * start-up (module loading, snapshot compile) stays out of the per-request costs.
 */
export function summarizeProfile(file: string, top = 25, fromUs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map<number, ProfileNode>()
  for (const node of profile.nodes) byId.set(node.id, node)
  const selfUs = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let at = profile.startTime
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: it belongs to the previous sample.
    at += deltas[i] ?? 0
    if (at < fromUs) continue
    const id = samples[i] as number
    const dt = deltas[i + 1] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt))
  }
  const fns = new Map<string, number>()
  const areas = new Map<string, number>()
  let idle = 0
  let busy = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') {
      idle += us
      continue
    }
    busy += us
    const name = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName || '(anonymous)'
    fns.set(name, (fns.get(name) ?? 0) + us)
    const area = areaOf(node.callFrame)
    areas.set(area, (areas.get(area) ?? 0) + us)
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: Math.round((us / busy) * 1000) / 10 }))
  return { busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), functions: rows(fns), areas: rows(areas) }
}
