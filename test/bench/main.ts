import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { request } from 'undici'
import { freePort } from '../support/ports.ts'
import { childEnv, REPO_ROOT } from '../support/processes.ts'
import type { UpstreamConfig } from './fake-upstream.ts'
import { checkIdentity, type IdentityResult } from './identity.ts'
import { type CellResult, closedLoop, openLoop, percentile } from './loadgen.ts'
import { ensurePortkey, HONO_NODE_SERVER_VERSION, PORTKEY_VERSION, startPortkey } from './portkey.ts'
import { CORES, killAll, PINNING, pinSelf, type Proc, ProcWatch, setNiceness, startProc } from './proc.ts'
import { type ProfileSummary, summarizeProfile } from './profile.ts'
import { startEmbedded } from './embedded.ts'
import { embeddedMarkdown, embeddedVerdicts } from './embedded-report.ts'
import { aggregate, type Eld, type Load, markdown, type Measurement, ratios, type Report, type StreamsResult, verdicts } from './report.ts'
import { ALL_SHAPES, requestSpec, SHAPES, type Shape, TARGET_NAMES, type Target, type TargetName } from './shapes.ts'
import {
  type DataPlaneRunAs,
  type RunningDataPlane,
  startDataPlane,
  startSwitchyardInfra,
  type SwitchyardInfra,
} from './switchyard.ts'

// `npm run bench` (docs/benchmarks.md): direct, floor, Switchyard and Portkey against one fake
// upstream, interleaved in rounds (A B C D, then D C B A, …) so machine drift cancels; targets
// on core 0, everything else (this load generator, the fake upstream, Redis, the log drain) on
// core 1. Prints a markdown table and writes test/bench/results/<timestamp>.{json,md}.

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    rates: { type: 'string' },
    shapes: { type: 'string' },
    targets: { type: 'string' },
    ttfb: { type: 'string' },
    warmup: { type: 'string' },
    'warm-start': { type: 'string' },
    measure: { type: 'string' },
    'max-slices': { type: 'string' },
    concurrency: { type: 'string' },
    streams: { type: 'string' },
    'no-streams': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    dp: { type: 'string', default: 'bundle' },
    nice: { type: 'string' },
    'live-heap': { type: 'boolean', default: false },
    'no-portkey': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: false,
})

if (args.help) {
  process.stdout.write(`npm run bench [-- options]
  --full              whole matrix: 200/500/1000/2000 RPS + max, upstream TTFB 0 and 50 ms, 3 rounds, CPU profile
  --quick             smoke run: 1 round, short cells
  --rounds N          rounds (default 2)            --rates 500,1000   open-loop rates (default 500,1000)
  --shapes a,b        ${ALL_SHAPES.join(',')}
                      (default: the four passthrough shapes; --full adds the two translation shapes)
  --targets a,b       ${TARGET_NAMES.join(',')}      --no-portkey  skip the peer
  --ttfb 0,50         upstream time to first byte (ms)
  --warmup MS --measure MS   per cell (default 1000 / 3000)
  --warm-start MS     unmeasured closed-loop load per target and shape before the first round (default 2000;
                      500 with --quick): JIT tiers and heap sizing settle for every target alike
  --max-slices N      max-throughput windows per target and round, alternating with the other targets'
                      (default 3: 3 × 1 s after 400 ms each; 1 = one window of --measure)
  --concurrency N     closed-loop connections (default 64; 512 when the upstream TTFB is > 0)
  --streams N         concurrent slow streams in the streams scenario (default 1000)   --no-streams
  --profile           also profile the data plane (--cpu-prof) under max load and summarize it
  --nice N            run the bench's processes at this niceness (e.g. -10, as root) so other work
                      on a shared machine takes less of their cores; recorded in the report
  --live-heap         start floor and Switchyard with --expose-gc: the probe reports the live heap
                      after a full GC at each window's end (diagnostics; the GCs perturb latency)
  --dp bundle|tsx     run the data plane as \`npm run start:data-plane\` does (its bundle with plain
                      node, default) or from its sources under node --import tsx (what the loader costs)
`)
  process.exit(0)
}

/**
 * The embedded default is measured where issue #14's targets are (one JSON and one SSE shape,
 * 500 RPS and max) unless --shapes / --rates name others: it keeps the default run's length.
 */
const EMBEDDED_DEFAULT_SHAPES: readonly Shape[] = ['openai-json', 'openai-sse']
const EMBEDDED_DEFAULT_LOADS: readonly Load[] = [500, 'max']
/** Warm-up of each max-throughput slice: the target is warm; only its new connections are not. */
const SLICE_WARMUP_MS = 400
const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : null)
const full = args.full
const quick = args.quick
const opts = {
  rounds: Number(args.rounds ?? (quick ? 1 : full ? 3 : 2)),
  rates: (list(args.rates) ?? (full ? ['200', '500', '1000', '2000'] : quick ? ['500'] : ['500', '1000'])).map(Number),
  shapes: (list(args.shapes) ?? (full ? [...ALL_SHAPES] : [...SHAPES])) as Shape[],
  targets: (list(args.targets) ?? [...TARGET_NAMES]).filter((t) => !(args['no-portkey'] && t === 'portkey')) as TargetName[],
  ttfbs: (list(args.ttfb) ?? (full ? ['0', '50'] : ['0'])).map(Number),
  warmupMs: Number(args.warmup ?? (quick ? 500 : 1000)),
  warmStartMs: Number(args['warm-start'] ?? (quick ? 500 : 2000)),
  measureMs: Number(args.measure ?? (quick ? 1500 : full ? 5000 : 3000)),
  maxSlices: Math.max(1, Number(args['max-slices'] ?? 3)),
  concurrency: args.concurrency ? Number(args.concurrency) : null,
  streams: args['no-streams'] ? 0 : Number(args.streams ?? (quick ? 200 : 1000)),
  profile: args.profile || full,
  dp: (args.dp === 'tsx' ? 'tsx' : 'bundle') as DataPlaneRunAs,
  nice: Number(args.nice ?? 0),
  liveHeap: args['live-heap'],
}
for (const s of opts.shapes) if (!ALL_SHAPES.includes(s)) throw new Error(`unknown shape ${s}`)
for (const t of opts.targets) if (!TARGET_NAMES.includes(t)) throw new Error(`unknown target ${t}`)
const measures = (target: Target, shape: Shape, load?: Load) =>
  target.name !== 'embedded' ||
  ((args.shapes !== undefined || EMBEDDED_DEFAULT_SHAPES.includes(shape)) && (load === undefined || args.rates !== undefined || EMBEDDED_DEFAULT_LOADS.includes(load)))
const defaultRun = !full && !quick && Object.keys(args).every((k) => ['full', 'quick', 'no-streams', 'profile', 'no-portkey', 'help', 'dp', 'nice', 'live-heap', 'warm-start'].includes(k))

const log = (line: string) => process.stderr.write(`${line}\n`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const startedAt = performance.now()
const runId = new Date().toISOString().replace(/[:.]/g, '-')
const resultsDir = join(REPO_ROOT, 'test/bench/results')
const workDir = join(tmpdir(), `sy-bench-${randomBytes(3).toString('hex')}`)
mkdirSync(resultsDir, { recursive: true })
mkdirSync(workDir, { recursive: true })

const cleanups: (() => Promise<unknown>)[] = []
let cleaning = false
async function cleanup(): Promise<void> {
  if (cleaning) return
  cleaning = true
  for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => log(`cleanup: ${err instanceof Error ? err.message : String(err)}`))
  killAll()
  rmSync(workDir, { recursive: true, force: true })
}
process.on('exit', killAll)
process.on('uncaughtException', (err) => {
  log(`bench failed: ${err.stack ?? err.message}`)
  void cleanup().finally(() => process.exit(1))
})
process.once('SIGINT', () => {
  log('interrupted: stopping everything the bench started')
  void cleanup().finally(() => process.exit(130))
})

/** The code measured: HEAD and how many files of the data plane and shared/ differ from it. */
function gitState(): { head: string; uncommittedDataPlaneFiles: number } | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'data-plane', 'shared'], { cwd: REPO_ROOT, encoding: 'utf8' })
    return { head, uncommittedDataPlaneFiles: dirty.split('\n').filter(Boolean).length }
  } catch {
    return null
  }
}

async function configureUpstream(origin: string, config: Partial<UpstreamConfig>): Promise<void> {
  const res = await request(`${origin}/__bench/config`, { method: 'POST', body: JSON.stringify(config) })
  await res.body.dump()
}

const probeSeq = new Map<string, number>()
async function probe(file: string, pid: number): Promise<Eld | null> {
  const before = probeSeq.get(file) ?? 0
  process.kill(pid, 'SIGUSR2')
  const deadline = Date.now() + 3_000
  while (Date.now() < deadline) {
    try {
      const report = JSON.parse(readFileSync(file, 'utf8')) as Eld & { seq: number }
      if (report.seq > before) {
        probeSeq.set(file, report.seq)
        return { p50: report.p50, p99: report.p99, max: report.max, mean: report.mean, heapUsedMb: report.heapUsedMb }
      }
    } catch {
      // not written yet
    }
    await sleep(20)
  }
  return null
}

interface Observed {
  result: CellResult
  cpuPercent: number | null
  peakRssMb: number | null
  otherCpuPercent: number | null
  eld: Eld | null
}

/** Runs one cell against one target, watching its process over the measured window only. */
async function observe(target: Target, warmupMs: number, run: () => Promise<CellResult>): Promise<Observed> {
  let watch: ProcWatch | null = null
  let eld: Promise<Eld | null> | null = null
  const pid = target.pid
  const timer = setTimeout(() => {
    if (pid !== null) {
      watch = new ProcWatch(pid)
      if (target.probeFile) void probe(target.probeFile, pid)
    }
  }, warmupMs)
  const result = await run()
  clearTimeout(timer)
  const usage = (watch as ProcWatch | null)?.finish() ?? null
  if (pid !== null && target.probeFile) eld = probe(target.probeFile, pid)
  return {
    result,
    cpuPercent: usage?.cpuPercent ?? null,
    peakRssMb: usage?.peakRssMb ?? null,
    otherCpuPercent: usage?.otherCpuPercent ?? null,
    eld: eld ? await eld : null,
  }
}

function summary(o: Observed): string {
  const r = o.result
  const f = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(2))
  return (
    `ttfb p50 ${f(percentile(r.ttfbMs, 0.5))} p99 ${f(percentile(r.ttfbMs, 0.99))} · total p50 ${f(percentile(r.totalMs, 0.5))} p99 ${f(percentile(r.totalMs, 0.99))} ms · ` +
    `${r.rps} rps · ${r.errors} err${r.errors ? ` ${JSON.stringify(r.errorKinds)}` : ''}` +
    (o.cpuPercent !== null ? ` · cpu ${o.cpuPercent}% · rss ${o.peakRssMb} MB` : '') +
    (o.otherCpuPercent ? ` · other load on core 0: ${o.otherCpuPercent}%` : '') +
    (o.eld ? ` · lag p99 ${o.eld.p99} ms · heap ${o.eld.heapUsedMb} MB` : '')
  )
}

async function main(): Promise<void> {
  pinSelf()
  setNiceness(opts.nice)
  const loadAtStart = loadavg()[0] ?? 0
  if (loadAtStart > 1.5) log(`bench: WARNING the machine is busy (load average ${loadAtStart.toFixed(1)}): figures will be noisy; compare ratios, and see the "other load on core 0" column`)
  log(`bench: ${CORES} cores, pinning ${PINNING ? 'on (targets → core 0; load generator, fake upstream, Redis, log drain → core 1)' : 'OFF (needs taskset and ≥ 2 cores)'}`)
  log(`bench: data plane run as ${opts.dp === 'bundle' ? 'npm run start:data-plane does (data-plane/dist/server.mjs, plain node)' : 'node --import tsx data-plane/src/server.ts'}`)
  log(`bench: rounds ${opts.rounds}, shapes ${opts.shapes.join(',')}, rates ${opts.rates.join(',')} + max, upstream TTFB ${opts.ttfbs.join(',')} ms, cells ${opts.warmupMs}+${opts.measureMs} ms (max: ${opts.maxSlices} × ${Math.min(opts.warmupMs, SLICE_WARMUP_MS)}+${Math.round(opts.measureMs / opts.maxSlices)} ms alternating)`)

  if (opts.targets.includes('portkey')) ensurePortkey(log)

  // Driver side (core 1): the fake upstream.
  const upstreamPort = await freePort()
  const upstream = startProc('fake-upstream', 'driver', process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/bench/fake-upstream-main.ts'), String(upstreamPort)], childEnv({ NODE_ENV: 'production' }), REPO_ROOT)
  cleanups.push(() => upstream.stop())
  await upstream.waitFor(/fake-upstream listening/)
  const upstreamOrigin = `http://127.0.0.1:${upstreamPort}`

  // Targets (core 0).
  const targets: Target[] = []
  let switchyardInfra: SwitchyardInfra | null = null
  let dataPlane: RunningDataPlane | null = null
  let drained = 0
  let embeddedDropped: number | null = null
  for (const name of opts.targets) {
    if (name === 'direct') {
      targets.push({ name, origin: upstreamOrigin, pid: null, probeFile: null, upstreamOrigin })
    } else if (name === 'floor') {
      const port = await freePort()
      const probeFile = join(workDir, 'probe-floor.json')
      const floor: Proc = startProc(
        'floor',
        'target',
        process.execPath,
        [
          ...(opts.liveHeap ? ['--expose-gc'] : []),
          '--import',
          'tsx',
          '--import',
          join(REPO_ROOT, 'test/bench/probe.mjs'),
          join(REPO_ROOT, 'test/bench/floor-proxy.ts'),
          String(port),
          upstreamOrigin,
        ],
        childEnv({ NODE_ENV: 'production', BENCH_PROBE_FILE: probeFile }),
        REPO_ROOT,
      )
      cleanups.push(() => floor.stop())
      await floor.waitFor(/floor listening/)
      targets.push({ name, origin: `http://127.0.0.1:${port}`, pid: floor.pid, probeFile, upstreamOrigin })
    } else if (name === 'switchyard') {
      const infra = await startSwitchyardInfra(upstreamOrigin)
      switchyardInfra = infra
      cleanups.push(async () => {
        drained = (await infra.close()).drained
      })
      const probeFile = join(workDir, 'probe-switchyard.json')
      const dp = await startDataPlane(infra, { probeFile, runAs: opts.dp, nodeFlags: opts.liveHeap ? ['--expose-gc'] : [] })
      dataPlane = dp
      cleanups.push(() => dp.stop())
      targets.push({ name, origin: dp.origin, pid: dp.proc.pid, probeFile, switchyardKey: infra.virtualKey, upstreamOrigin })
      log(`bench: switchyard data plane ready at ${dp.origin} (redis ${infra.privateRedis ? 'private redis-server on core 1' : infra.redisUrl}, prefix ${infra.prefix})`)
    } else if (name === 'embedded') {
      const embedded = await startEmbedded(upstreamOrigin)
      cleanups.push(async () => {
        embeddedDropped = (await embedded.stop()).droppedLogEvents
      })
      targets.push({ name, origin: embedded.origin, pid: embedded.dataPlanePid, probeFile: null, switchyardKey: embedded.virtualKey, upstreamOrigin })
      log(`bench: embedded default (npm start) ready: data plane ${embedded.origin} (pid ${embedded.dataPlanePid}, core 0), control plane ${embedded.controlPlaneOrigin} with PostgreSQL on core 1`)
    } else if (name === 'portkey') {
      const pk = await startPortkey()
      cleanups.push(() => pk.proc.stop())
      targets.push({ name, origin: pk.origin, pid: pk.proc.pid, probeFile: null, upstreamOrigin })
      log(`bench: portkey ${PORTKEY_VERSION} ready at ${pk.origin}`)
    }
  }

  // Byte-identity of passthrough streams and bodies, before any load.
  log('bench: checking passthrough fidelity …')
  const identity: IdentityResult[] = await checkIdentity(targets, opts.shapes, upstreamOrigin)
  for (const r of identity) log(`  ${r.target} ${r.shape} ${r.variant}: ${r.verdict} (${r.detail}); upstream body: ${r.requestBody}`)

  // Every target starts cold (the JIT has compiled nothing, the heap is at its initial size);
  // all of them get the same unmeasured load first, so the first measured cells are not the
  // first seconds of a process.
  if (opts.warmStartMs > 0) {
    log(`bench: warming every target up (${opts.warmStartMs} ms of closed-loop load per shape, not measured)`)
    for (const target of targets) {
      for (const shape of opts.shapes.filter((s) => measures(target, s))) await closedLoop(requestSpec(target, shape), { concurrency: 64, warmupMs: 0, measureMs: opts.warmStartMs })
    }
  }

  const measurements: Measurement[] = []
  const loads: Load[] = [...opts.rates, 'max']
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    for (const ttfbMs of opts.ttfbs) {
      await configureUpstream(upstreamOrigin, { ttfbMs })
      for (const shape of opts.shapes) {
        for (const load of loads) {
          // The max-throughput ratios compare targets measured seconds apart, and this kind of
          // machine drifts at that scale: each target's window is cut into slices that alternate
          // with the others' (A B C D, D C B A, …) inside the cell. Samples pool as rounds do.
          const slices = load === 'max' ? opts.maxSlices : 1
          const warmupMs = slices > 1 ? Math.min(opts.warmupMs, SLICE_WARMUP_MS) : opts.warmupMs
          const measureMs = Math.round(opts.measureMs / slices)
          for (let slice = 0; slice < slices; slice++) {
            for (const target of slice % 2 === 0 ? order : [...order].reverse()) {
              if (!measures(target, shape, load)) continue
              const spec = requestSpec(target, shape)
              const concurrency = opts.concurrency ?? (ttfbMs > 0 ? 512 : 64)
              const observed = await observe(target, warmupMs, () =>
                load === 'max'
                  ? closedLoop(spec, { concurrency, warmupMs, measureMs })
                  : openLoop(spec, { rate: load, warmupMs, measureMs }),
              )
              measurements.push({ round, target: target.name, shape, load, ttfbMs, ...observed })
              const where = slices > 1 ? `round ${round + 1}.${slice + 1}` : `round ${round + 1}`
              log(`[${where}] ${shape} ttfb ${ttfbMs} ${load === 'max' ? `max/${concurrency}` : `${load} rps`} ${target.name}: ${summary(observed)}`)
              await sleep(150)
            }
          }
        }
      }
    }
  }

  // 1,000 concurrent slow streams: event-loop lag and RSS (floor and Switchyard carry the probe).
  const streams: StreamsResult[] = []
  if (opts.streams > 0) {
    await configureUpstream(upstreamOrigin, { ttfbMs: 50, deltas: 50, intervalMs: 100 })
    // The embedded default's child carries no probe (it is started exactly as npm start starts it).
    for (const target of targets.filter((t) => t.name !== 'direct' && t.name !== 'embedded')) {
      const spec = requestSpec(target, 'openai-sse')
      const warmupMs = 3_000
      const observed = await observe(target, warmupMs, () => closedLoop(spec, { concurrency: opts.streams, warmupMs, measureMs: quick ? 3_000 : 6_000 }))
      streams.push({
        target: target.name,
        concurrency: opts.streams,
        cell: observed.result,
        eld: observed.eld,
        peakRssMb: observed.peakRssMb,
        cpuPercent: observed.cpuPercent,
        otherCpuPercent: observed.otherCpuPercent,
      })
      log(`[streams] ${opts.streams} × openai-sse (5 s each) ${target.name}: ${summary(observed)}`)
      await sleep(500)
    }
    await configureUpstream(upstreamOrigin, { ttfbMs: 0 })
  }

  // CPU profile of the data plane under the max-throughput load (a separate process: the
  // profiler's own cost stays out of the figures above).
  let profile: ProfileSummary | null = null
  let profileFile: string | null = null
  const syTarget = targets.find((t) => t.name === 'switchyard')
  if (opts.profile && switchyardInfra && syTarget) {
    await (dataPlane as RunningDataPlane | null)?.stop()
    const dir = join(resultsDir, `${runId}-profile`)
    // Profiled from its sources under tsx, not the bundle: the same code, but each function keeps
    // its file, so the summary can say which module the time went to (tsx costs nothing per request).
    const profiled = await startDataPlane(switchyardInfra, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`], runAs: 'tsx' })
    cleanups.push(() => profiled.stop())
    const target: Target = { ...syTarget, origin: profiled.origin, pid: profiled.proc.pid }
    // Start-up and a first warm-up (JIT, connections) stay out of the summary.
    for (const shape of opts.shapes) await closedLoop(requestSpec(target, shape), { concurrency: 64, warmupMs: 0, measureMs: 1_000 })
    const fromUs = Number(process.hrtime.bigint() / 1000n)
    for (const shape of opts.shapes) {
      const r = await closedLoop(requestSpec(target, shape), { concurrency: 64, warmupMs: 0, measureMs: 4_000 })
      log(`[profile] ${shape} max: ${r.rps} rps`)
    }
    await profiled.stop()
    // One profile per V8 thread (tsx's loader hooks run on their own): the main thread's is the biggest.
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]
    if (file) {
      profileFile = join(dir, file)
      profile = summarizeProfile(profileFile, 30, fromUs)
    } else log('bench: no .cpuprofile was written')
  }

  await cleanup()
  if (embeddedDropped !== null) log(`bench: the embedded default's data plane dropped ${embeddedDropped} request-log events (its buffer full while the control plane lagged)`)
  const durationS = (performance.now() - startedAt) / 1000
  const cells = aggregate(measurements)
  const syRequests = cells.filter((c) => c.target === 'switchyard').reduce((n, c) => n + c.requests, 0)
  const report: Report = {
    meta: {
      runId,
      node: process.version,
      cores: CORES,
      pinning: PINNING,
      niceness: opts.nice,
      rounds: opts.rounds,
      rates: opts.rates,
      shapes: opts.shapes,
      ttfbs: opts.ttfbs,
      warmStartMs: opts.warmStartMs,
      warmupMs: opts.warmupMs,
      measureMs: opts.measureMs,
      maxSlices: opts.maxSlices,
      sliceWarmupMs: Math.min(opts.warmupMs, SLICE_WARMUP_MS),
      targets: opts.targets,
      portkey: { version: PORTKEY_VERSION, honoNodeServer: HONO_NODE_SERVER_VERSION },
      switchyard: {
        mode: 'NODE_ENV=production, Redis on, logging on (stream drained by bench/log-drain.ts on core 1)',
        runAs: opts.dp === 'bundle' ? 'data-plane/dist/server.mjs with plain node (npm run start:data-plane)' : 'node --import tsx data-plane/src/server.ts',
        redis: switchyardInfra?.privateRedis ? 'private redis-server on core 1' : (switchyardInfra?.redisUrl ?? null),
        logEventsDrained: drained,
      },
      embedded: opts.targets.includes('embedded')
        ? {
            run: 'npm start (control-plane/bin/with-pnpm.mjs --node control-plane/server/main.ts embedded), no DATABASE_URL/REDIS_URL; data-plane child on core 0, control plane + PostgreSQL on core 1 at nice 10',
            logEventsDropped: embeddedDropped,
          }
        : null,
      switchyardRequestsMeasured: syRequests,
      git: gitState(),
      durationS: Math.round(durationS),
      loadAverage: { atStart: Math.round(loadAtStart * 100) / 100, atEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
      profileFile,
    },
    cells,
    ratios: ratios(cells),
    verdicts: [...verdicts(cells, identity, streams, durationS, defaultRun), ...embeddedVerdicts(cells)],
    identity,
    streams,
    profile,
  }
  const md = `## Switchyard bench ${runId}\n\n${markdown(report)}${embeddedMarkdown(cells)}`
  const json = JSON.stringify(
    report,
    (_key, value: unknown) => (value instanceof Float64Array ? { count: value.length, p50: percentile(value, 0.5), p99: percentile(value, 0.99) } : value),
    2,
  )
  writeFileSync(join(resultsDir, `${runId}.json`), json)
  writeFileSync(join(resultsDir, `${runId}.md`), md)
  process.stdout.write(md)
  log(`\nbench: done in ${Math.round(durationS)} s; results in test/bench/results/${runId}.{json,md}`)
}

main().catch(async (err: unknown) => {
  log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  await cleanup()
  process.exit(1)
})
