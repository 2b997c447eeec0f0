import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'

// Processes of the bench: spawned pinned to a core with taskset, their output kept for errors,
// CPU time and resident memory read from /proc.

export const CORES = cpus().length
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
export const PINNING = hasTaskset && CORES >= 2
const TARGET_CORE = '0'
const DRIVER_CORE = '1'
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

export type Core = 'target' | 'driver'

/** `--nice N`: scheduling priority of everything the bench starts (and of itself); 0 = unchanged. */
let niceness = 0
/** The niceness everything the bench starts runs at. */
export const benchNiceness = () => niceness

export function setNiceness(n: number): void {
  niceness = n
  if (n !== 0) execFileSync('renice', ['-n', String(n), '-p', String(process.pid)], { stdio: 'ignore' })
}

/** Pins this process (every thread) to the driver core: the load generator runs here. */
export function pinSelf(): void {
  if (!PINNING) return
  execFileSync('taskset', ['-a', '-p', '-c', DRIVER_CORE, String(process.pid)], { stdio: 'ignore' })
}

export interface Proc {
  name: string
  child: ChildProcess
  pid: number
  output(): string
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Signal, then wait for exit (SIGKILL after the timeout). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>
}

const running = new Set<Proc>()

export function startProc(name: string, core: Core, command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Proc {
  let [file, argv] = PINNING ? ['taskset', ['-c', core === 'target' ? TARGET_CORE : DRIVER_CORE, command, ...args]] : [command, args]
  if (niceness !== 0) [file, argv] = ['nice', ['-n', String(niceness), file, ...argv]]
  const child = spawn(file, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8')
    if (out.length > 200_000) out = out.slice(-100_000)
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = once(child, 'exit')
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`)
  const proc: Proc = {
    name,
    child,
    pid: child.pid,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now()
        const check = () => {
          if (pattern.test(out)) return resolve()
          if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`${name} exited before ${pattern}:\n${out.slice(-3000)}`))
          if (Date.now() - started > timeoutMs) return reject(new Error(`${name}: timed out waiting for ${pattern}:\n${out.slice(-3000)}`))
          setTimeout(check, 25)
        }
        check()
      })
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      running.delete(proc)
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      await exited
      clearTimeout(timer)
    },
  }
  running.add(proc)
  return proc
}

/** Kills whatever the bench started and is still running (on errors and Ctrl-C). */
export function killAll(): void {
  for (const proc of running) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL')
  }
  running.clear()
}

export interface ProcSample {
  cpuSeconds: number
  rssBytes: number
  hwmBytes: number
}

export function readProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields after the command name start at field 3 (state): utime is field 14, stime 15.
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    return { cpuSeconds, rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') }
  } catch {
    return null
  }
}

/** Resets VmHWM (peak RSS) to the current RSS, so the next read is the peak of one cell. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** Busy and total jiffies of one core (/proc/stat), to see how much of it other processes took. */
function coreTimes(core: string): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${core} `))
    if (!line) return null
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number)
    const busy = user + nice + system + irq + softirq + steal
    return { busy, total: busy + idle + iowait }
  } catch {
    return null
  }
}

/** CPU and peak RSS of a process over a window: peak = max(VmHWM after a reset, sampled VmRSS). */
export class ProcWatch {
  private start: ProcSample | null
  private core = coreTimes(TARGET_CORE)
  private startedAt = performance.now()
  private peak = 0
  private timer: NodeJS.Timeout

  constructor(private readonly pid: number) {
    resetPeak(pid)
    this.start = readProc(pid)
    this.timer = setInterval(() => {
      const s = readProc(pid)
      if (s) this.peak = Math.max(this.peak, s.rssBytes)
    }, 100)
  }

  /**
   * `otherCpuPercent`: how much of the target core processes other than the target used in the
   * window (other work on the machine): figures taken while it is high are not trustworthy.
   */
  finish(): { cpuPercent: number; peakRssMb: number; otherCpuPercent: number | null } {
    clearInterval(this.timer)
    const end = readProc(this.pid)
    const core = coreTimes(TARGET_CORE)
    const seconds = (performance.now() - this.startedAt) / 1000
    if (!end || !this.start) return { cpuPercent: 0, peakRssMb: 0, otherCpuPercent: null }
    const peak = Math.max(this.peak, end.hwmBytes, end.rssBytes)
    const cpu = end.cpuSeconds - this.start.cpuSeconds
    let otherCpuPercent: number | null = null
    if (PINNING && core && this.core && core.total > this.core.total) {
      const coreSeconds = ((core.busy - this.core.busy) / (core.total - this.core.total)) * seconds
      otherCpuPercent = Math.max(0, Math.round(((coreSeconds - cpu) / seconds) * 100))
    }
    return {
      cpuPercent: Math.round((cpu / seconds) * 1000) / 10,
      peakRssMb: Math.round(peak / 1024 / 102.4) / 10,
      otherCpuPercent,
    }
  }
}
