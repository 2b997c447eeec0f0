import type { Cell, Verdict } from './report.ts'
import { isStream, isTranslation } from './shapes.ts'

// Issue #14's targets: `npm start`'s data plane (embedded) against a production replica
// (switchyard) measured in the same rounds: max RPS ≥ 0.9× and p99 at 500 RPS ≤ 1.5×, JSON and
// SSE. The p99 is the one a caller waits on: total for JSON, time to first byte for SSE.

const round2 = (n: number) => Math.round(n * 100) / 100

interface Pair {
  embedded: Cell
  replica: Cell
}

function pairs(cells: Cell[]): Pair[] {
  const out: Pair[] = []
  for (const embedded of cells.filter((c) => c.target === 'embedded' && !isTranslation(c.shape))) {
    const replica = cells.find((c) => c.target === 'switchyard' && c.shape === embedded.shape && c.load === embedded.load && c.ttfbMs === embedded.ttfbMs)
    if (replica) out.push({ embedded, replica })
  }
  return out
}

const p99 = (c: Cell) => (isStream(c.shape) ? c.ttfb.p99 : c.total.p99)
const upstream = (c: Cell) => (c.ttfbMs ? ` (upstream TTFB ${c.ttfbMs} ms)` : '')

export function embeddedVerdicts(cells: Cell[]): Verdict[] {
  const out: Verdict[] = []
  for (const { embedded, replica } of pairs(cells)) {
    if (embedded.load === 'max') {
      const r = round2(embedded.rps / replica.rps)
      out.push({ target: `embedded (npm start) ${embedded.shape} max RPS${upstream(embedded)} ≥ 0.9× replica`, met: r >= 0.9, detail: `${embedded.rps} vs ${replica.rps} (ratio ${r})` })
    } else if (embedded.load === 500) {
      const r = round2(p99(embedded) / p99(replica))
      const what = isStream(embedded.shape) ? 'TTFB' : 'total'
      out.push({ target: `embedded (npm start) ${embedded.shape} @500 RPS${upstream(embedded)}: ${what} p99 ≤ 1.5× replica`, met: r <= 1.5, detail: `${p99(embedded)} ms vs ${p99(replica)} ms (ratio ${r})` })
    }
    if (embedded.errors > 0) out.push({ target: `embedded ${embedded.shape} ${embedded.load}: no errors`, met: false, detail: `${embedded.errors} errors ${JSON.stringify(embedded.errorKinds)}` })
  }
  return out
}

export function embeddedMarkdown(cells: Cell[]): string {
  const rows = pairs(cells)
  if (rows.length === 0) return ''
  const lines = ['', '### Embedded default (npm start) / replica (npm run start:data-plane), same rounds', '']
  lines.push('| shape | upstream TTFB | load | metric | embedded | replica | embedded / replica | embedded peak RSS MB |', '|---|---|---|---|---|---|---|---|')
  for (const { embedded: e, replica: r } of rows) {
    const [metric, a, b] = e.load === 'max' ? ['RPS', e.rps, r.rps] : [isStream(e.shape) ? 'TTFB p99 (ms)' : 'total p99 (ms)', p99(e), p99(r)]
    const load = e.load === 'max' ? 'max (closed loop)' : `${e.load} RPS`
    lines.push(`| ${e.shape} | ${e.ttfbMs} ms | ${load} | ${metric} | ${a} | ${b} | ${b ? round2(a / b) : '–'} | ${e.peakRssMb ?? '–'} |`)
  }
  return `${lines.join('\n')}\n`
}
