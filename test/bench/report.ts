import type { IdentityResult } from './identity.ts'
import { type CellResult, percentile } from './loadgen.ts'
import type { ProfileSummary } from './profile.ts'
import { isStream, isTranslation, type Shape, type TargetName } from './shapes.ts'

// Aggregation (samples pooled over the rounds, per target), the issue's targets, and the
// markdown/JSON output.

export type Load = number | 'max'

export interface Eld {
  p50: number
  p99: number
  max: number
  mean: number
  /** Heap in use at the window's end (the live heap after a full GC with --live-heap). */
  heapUsedMb: number
}

export interface Measurement {
  round: number
  target: TargetName
  shape: Shape
  load: Load
  ttfbMs: number
  result: CellResult
  cpuPercent: number | null
  peakRssMb: number | null
  /** CPU other processes (not the bench's) took on the target core during the window. */
  otherCpuPercent: number | null
  eld: Eld | null
}

export interface Cell {
  target: TargetName
  shape: Shape
  load: Load
  ttfbMs: number
  rounds: number
  requests: number
  errors: number
  errorKinds: Record<string, number>
  rps: number
  ttfb: { p50: number; p99: number }
  total: { p50: number; p99: number }
  /** Over direct, same shape/load/ttfb (null for direct itself). */
  added: { ttfbP50: number; ttfbP99: number; totalP50: number; totalP99: number } | null
  cpuPercent: number | null
  peakRssMb: number | null
  otherCpuPercent: number | null
  eld: Eld | null
}

const round2 = (n: number) => Math.round(n * 100) / 100

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0))
  let at = 0
  for (const a of arrays) {
    out.set(a, at)
    at += a.length
  }
  return out.sort()
}

export function aggregate(measurements: Measurement[]): Cell[] {
  const groups = new Map<string, Measurement[]>()
  for (const m of measurements) {
    const key = `${m.target}|${m.shape}|${m.load}|${m.ttfbMs}`
    const list = groups.get(key) ?? []
    list.push(m)
    groups.set(key, list)
  }
  const cells: Cell[] = []
  for (const list of groups.values()) {
    const first = list[0] as Measurement
    const ttfb = concat(list.map((m) => m.result.ttfbMs))
    const total = concat(list.map((m) => m.result.totalMs))
    const errorKinds: Record<string, number> = {}
    for (const m of list) for (const [k, v] of Object.entries(m.result.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v
    const cpus = list.map((m) => m.cpuPercent).filter((c): c is number => c !== null)
    const rss = list.map((m) => m.peakRssMb).filter((c): c is number => c !== null)
    const elds = list.map((m) => m.eld).filter((e): e is Eld => e !== null)
    const others = list.map((m) => m.otherCpuPercent).filter((c): c is number => c !== null)
    cells.push({
      target: first.target,
      shape: first.shape,
      load: first.load,
      ttfbMs: first.ttfbMs,
      rounds: list.length,
      requests: list.reduce((n, m) => n + m.result.measured, 0),
      errors: list.reduce((n, m) => n + m.result.errors, 0),
      errorKinds,
      rps: Math.round(list.reduce((n, m) => n + m.result.rps, 0) / list.length),
      ttfb: { p50: round2(percentile(ttfb, 0.5)), p99: round2(percentile(ttfb, 0.99)) },
      total: { p50: round2(percentile(total, 0.5)), p99: round2(percentile(total, 0.99)) },
      added: null,
      cpuPercent: cpus.length ? Math.round((cpus.reduce((a, b) => a + b, 0) / cpus.length) * 10) / 10 : null,
      peakRssMb: rss.length ? Math.max(...rss) : null,
      otherCpuPercent: others.length ? Math.round(others.reduce((a, b) => a + b, 0) / others.length) : null,
      eld: elds.length ? elds.reduce((a, b) => (b.p99 > a.p99 ? b : a)) : null,
    })
  }
  for (const cell of cells) {
    if (cell.target === 'direct') continue
    const direct = cells.find((c) => c.target === 'direct' && c.shape === cell.shape && c.load === cell.load && c.ttfbMs === cell.ttfbMs)
    if (!direct) continue
    cell.added = {
      ttfbP50: round2(cell.ttfb.p50 - direct.ttfb.p50),
      ttfbP99: round2(cell.ttfb.p99 - direct.ttfb.p99),
      totalP50: round2(cell.total.p50 - direct.total.p50),
      totalP99: round2(cell.total.p99 - direct.total.p99),
    }
  }
  return cells
}

/** The latency the issue's targets are about: total for JSON, time to first event for SSE. */
function keyLatency(cell: Cell): { p50: number; p99: number } | null {
  if (!cell.added) return null
  return isStream(cell.shape) ? { p50: cell.added.ttfbP50, p99: cell.added.ttfbP99 } : { p50: cell.added.totalP50, p99: cell.added.totalP99 }
}

export interface Ratio {
  shape: Shape
  load: Load
  ttfbMs: number
  metric: string
  switchyard: number
  floor: number | null
  portkey: number | null
  vsFloor: number | null
  vsPortkey: number | null
}

const ratio = (a: number, b: number | null | undefined) => (b === null || b === undefined || b === 0 ? null : round2(a / b))

export function ratios(cells: Cell[]): Ratio[] {
  const out: Ratio[] = []
  for (const sy of cells.filter((c) => c.target === 'switchyard' && c.ttfbMs >= 0)) {
    const peer = (t: TargetName) => cells.find((c) => c.target === t && c.shape === sy.shape && c.load === sy.load && c.ttfbMs === sy.ttfbMs)
    const floor = peer('floor')
    const portkey = peer('portkey')
    if (sy.load === 'max') {
      out.push({ shape: sy.shape, load: sy.load, ttfbMs: sy.ttfbMs, metric: 'max RPS', switchyard: sy.rps, floor: floor?.rps ?? null, portkey: portkey?.rps ?? null, vsFloor: ratio(sy.rps, floor?.rps), vsPortkey: ratio(sy.rps, portkey?.rps) })
      continue
    }
    const s = keyLatency(sy)
    if (!s) continue
    const f = floor ? keyLatency(floor) : null
    const p = portkey ? keyLatency(portkey) : null
    const what = isStream(sy.shape) ? 'added TTFB' : 'added latency'
    out.push({ shape: sy.shape, load: sy.load, ttfbMs: sy.ttfbMs, metric: `${what} p50 (ms)`, switchyard: s.p50, floor: f?.p50 ?? null, portkey: p?.p50 ?? null, vsFloor: ratio(s.p50, f?.p50), vsPortkey: ratio(s.p50, p?.p50) })
    out.push({ shape: sy.shape, load: sy.load, ttfbMs: sy.ttfbMs, metric: `${what} p99 (ms)`, switchyard: s.p99, floor: f?.p99 ?? null, portkey: p?.p99 ?? null, vsFloor: ratio(s.p99, f?.p99), vsPortkey: ratio(s.p99, p?.p99) })
  }
  return out
}

export interface Verdict {
  target: string
  met: boolean | null
  detail: string
}

export interface StreamsResult {
  target: TargetName
  concurrency: number
  cell: CellResult
  eld: Eld | null
  peakRssMb: number | null
  cpuPercent: number | null
  otherCpuPercent: number | null
}

export function verdicts(
  cells: Cell[],
  identity: IdentityResult[],
  streams: StreamsResult[],
  durationS: number,
  defaultRun: boolean,
): Verdict[] {
  const out: Verdict[] = []
  const find = (t: TargetName, c: Cell) => cells.find((x) => x.target === t && x.shape === c.shape && x.load === c.load && x.ttfbMs === c.ttfbMs)
  // The issue's targets are about the passthrough path; translation cells are reported only.
  for (const sy of cells.filter((c) => c.target === 'switchyard' && !isTranslation(c.shape) && (c.load === 500 || c.load === 1000))) {
    const floor = find('floor', sy)
    const s = keyLatency(sy)
    const f = floor ? keyLatency(floor) : null
    if (!s || !f) continue
    const what = `${sy.shape} @${sy.load} RPS${sy.ttfbMs ? ` (upstream TTFB ${sy.ttfbMs} ms)` : ''}: added ${isStream(sy.shape) ? 'TTFB' : 'latency'}`
    // "Added" is a difference of percentiles: when direct's own tail was the noisier one, the
    // floor's comes out below zero. No hop adds negative latency, so the limit counts it as 0.
    const floor50 = Math.max(0, f.p50)
    const floor99 = Math.max(0, f.p99)
    const lim50 = round2(Math.max(1.5 * floor50, floor50 + 0.25))
    const lim99 = round2(Math.max(2 * floor99, floor99 + 2))
    const floorText = (v: number) => `floor ${v} ms${v < 0 ? ', counted as 0' : ''}`
    out.push({ target: `${what} p50 ≤ max(1.5× floor, floor + 0.25 ms)`, met: s.p50 <= lim50, detail: `${s.p50} ms vs limit ${lim50} ms (${floorText(f.p50)})${s.p50 > lim50 ? `: over by ${round2(s.p50 - lim50)} ms` : ''}` })
    out.push({ target: `${what} p99 ≤ max(2× floor, floor + 2 ms)`, met: s.p99 <= lim99, detail: `${s.p99} ms vs limit ${lim99} ms (${floorText(f.p99)})${s.p99 > lim99 ? `: over by ${round2(s.p99 - lim99)} ms` : ''}` })
    if (sy.errors > 0) out.push({ target: `${sy.shape} @${sy.load} RPS: no errors`, met: false, detail: `${sy.errors} errors ${JSON.stringify(sy.errorKinds)}` })
  }
  for (const sy of cells.filter((c) => c.target === 'switchyard' && !isTranslation(c.shape) && c.load === 'max')) {
    const floor = find('floor', sy)
    const portkey = find('portkey', sy)
    const tag = `${sy.shape} max RPS${sy.ttfbMs ? ` (upstream TTFB ${sy.ttfbMs} ms)` : ''}`
    if (floor) out.push({ target: `${tag} ≥ 0.7× floor`, met: sy.rps >= 0.7 * floor.rps, detail: `${sy.rps} vs ${Math.round(0.7 * floor.rps)} (floor ${floor.rps}; ratio ${ratio(sy.rps, floor.rps)})` })
    if (portkey) out.push({ target: `${tag} ≥ 3× Portkey`, met: sy.rps >= 3 * portkey.rps, detail: `${sy.rps} vs ${3 * portkey.rps} (Portkey ${portkey.rps}; ratio ${ratio(sy.rps, portkey.rps)})` })
    if (sy.peakRssMb !== null) out.push({ target: `${tag}: peak RSS ≤ 150 MB`, met: sy.peakRssMb <= 150, detail: `${sy.peakRssMb} MB` })
  }
  for (const s of streams.filter((x) => x.target === 'switchyard')) {
    const held = s.cell.errors === 0
    out.push({
      target: `${s.concurrency} concurrent streams held, event-loop lag p99 < 20 ms`,
      met: held && s.eld !== null && s.eld.p99 < 20,
      detail: `lag p99 ${s.eld?.p99 ?? '?'} ms (max ${s.eld?.max ?? '?'}), ${s.cell.errors} errors, peak RSS ${s.peakRssMb} MB`,
    })
  }
  const sy = identity.filter((r) => r.target === 'switchyard')
  if (sy.length > 0) {
    const bad = sy.filter((r) => r.verdict !== 'identical' && r.verdict !== 'identical-except-usage-chunk')
    out.push({ target: 'passthrough byte-identical (CONTRACT.md usage exception)', met: bad.length === 0, detail: bad.length === 0 ? `${sy.length} checks` : bad.map((b) => `${b.shape} ${b.variant}: ${b.detail}`).join('; ') })
  }
  if (defaultRun) out.push({ target: '`npm run bench` finishes in ≤ 10 minutes', met: durationS <= 600, detail: `${Math.round(durationS)} s` })
  return out
}

const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits))
const loadLabel = (l: Load) => (l === 'max' ? 'max (closed loop)' : `${l} RPS`)

export interface Report {
  meta: Record<string, unknown>
  cells: Cell[]
  ratios: Ratio[]
  verdicts: Verdict[]
  identity: IdentityResult[]
  streams: StreamsResult[]
  profile: ProfileSummary | null
}

export function markdown(report: Report): string {
  const lines: string[] = []
  const groups = new Map<string, Cell[]>()
  for (const c of report.cells) {
    const key = `${c.shape}|${c.ttfbMs}|${c.load}`
    groups.set(key, [...(groups.get(key) ?? []), c])
  }
  lines.push('### Latency, throughput, resources (samples pooled over rounds; added = over direct)', '')
  lines.push('| shape | upstream TTFB | load | target | TTFB p50 | TTFB p99 | total p50 | total p99 | added TTFB p50 | added TTFB p99 | added total p50 | added total p99 | RPS | errors | CPU % | CPU ms/req | peak RSS MB | other load on core 0 % |')
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  const order: Record<string, number> = { direct: 0, floor: 1, switchyard: 2, embedded: 3, portkey: 4 }
  for (const cells of groups.values()) {
    for (const c of cells.sort((a, b) => (order[a.target] ?? 9) - (order[b.target] ?? 9))) {
      lines.push(
        `| ${c.shape} | ${c.ttfbMs} ms | ${loadLabel(c.load)} | ${c.target} | ${fmt(c.ttfb.p50)} | ${fmt(c.ttfb.p99)} | ${fmt(c.total.p50)} | ${fmt(c.total.p99)} | ${fmt(c.added?.ttfbP50)} | ${fmt(c.added?.ttfbP99)} | ${fmt(c.added?.totalP50)} | ${fmt(c.added?.totalP99)} | ${c.rps} | ${c.errors} | ${fmt(c.cpuPercent, 0)} | ${fmt(c.cpuPercent !== null && c.rps > 0 ? (c.cpuPercent * 10) / c.rps : null, 3)} | ${fmt(c.peakRssMb, 0)} | ${fmt(c.otherCpuPercent, 0)} |`,
      )
    }
  }
  lines.push('', '### Ratios from the same rounds (Switchyard / floor, Switchyard / Portkey)', '')
  lines.push('| shape | upstream TTFB | load | metric | Switchyard | floor | Portkey | SY/floor | SY/Portkey |')
  lines.push('|---|---|---|---|---|---|---|---|---|')
  for (const r of report.ratios) {
    lines.push(`| ${r.shape} | ${r.ttfbMs} ms | ${loadLabel(r.load)} | ${r.metric} | ${r.switchyard} | ${r.floor ?? '–'} | ${r.portkey ?? '–'} | ${r.vsFloor ?? '–'} | ${r.vsPortkey ?? '–'} |`)
  }
  if (report.streams.length > 0) {
    lines.push('', '### Concurrent slow streams', '')
    lines.push('| target | streams | measured streams (sent in the window) | errors | TTFB p50 | TTFB p99 | event-loop lag p50 | lag p99 | lag max | CPU % | peak RSS MB | other load on core 0 % |')
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|')
    for (const s of report.streams) {
      lines.push(
        `| ${s.target} | ${s.concurrency} | ${s.cell.ok} | ${s.cell.errors} | ${fmt(percentile(s.cell.ttfbMs, 0.5))} | ${fmt(percentile(s.cell.ttfbMs, 0.99))} | ${fmt(s.eld?.p50)} | ${fmt(s.eld?.p99)} | ${fmt(s.eld?.max)} | ${fmt(s.cpuPercent, 0)} | ${fmt(s.peakRssMb, 0)} | ${fmt(s.otherCpuPercent, 0)} |`,
      )
    }
  }
  lines.push('', '### Passthrough fidelity (bytes received vs bytes the upstream sent)', '')
  lines.push('| target | shape | variant | response bytes | upstream request body | detail |')
  lines.push('|---|---|---|---|---|---|')
  for (const r of report.identity) lines.push(`| ${r.target} | ${r.shape} | ${r.variant} | ${r.verdict} | ${r.requestBody} | ${r.detail.replace(/\|/g, '\\|')} |`)
  lines.push('', '### Targets (issue #5)', '')
  lines.push('| target | met | measured |')
  lines.push('|---|---|---|')
  for (const v of report.verdicts) lines.push(`| ${v.target} | ${v.met === null ? '–' : v.met ? 'yes' : '**no**'} | ${v.detail} |`)
  if (report.profile) {
    lines.push('', `### CPU profile of the data plane under max load (busy ${report.profile.busyMs} ms, idle ${report.profile.idleMs} ms)`, '')
    lines.push('| area | self ms | % of busy |', '|---|---|---|')
    for (const r of report.profile.areas) lines.push(`| ${r.name} | ${r.selfMs} | ${r.percent} |`)
    lines.push('', '| function | self ms | % of busy |', '|---|---|---|')
    for (const r of report.profile.functions) lines.push(`| \`${r.name}\` | ${r.selfMs} | ${r.percent} |`)
  }
  return `${lines.join('\n')}\n`
}
