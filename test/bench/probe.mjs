import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

// Preloaded into the targets the bench owns the command line of (`--import <this>`; plain
// JavaScript, so it loads into the data plane's bundle run by plain node as into tsx): measures
// event-loop delay with perf_hooks (a 10 ms libuv timer, nothing on the request path). On
// SIGUSR2 it writes {seq, p50, p99, max, mean} in ms to BENCH_PROBE_FILE and starts over, with
// the heap in use (after a full GC when the process runs with --expose-gc: the live heap).
// The histogram records the time between timer runs, so the resolution is subtracted: what is
// left is the lag, the time the loop was busy when the timer was due.
const file = process.env.BENCH_PROBE_FILE
if (file) {
  const RESOLUTION_MS = 10
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  let seq = 0
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100)
  process.on('SIGUSR2', () => {
    seq += 1
    const report = {
      seq,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
      heapUsedMb: 0,
      liveHeap: false,
    }
    const gc = globalThis.gc
    if (gc) gc()
    report.heapUsedMb = Math.round(process.memoryUsage().heapUsed / 1e5) / 10
    report.liveHeap = gc !== undefined
    histogram.reset()
    writeFileSync(file, JSON.stringify(report))
  })
}
