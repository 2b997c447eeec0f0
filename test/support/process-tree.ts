import { readdirSync, readFileSync } from 'node:fs'

// The processes under a pid (Linux /proc), to find `npm start`'s data-plane child and to prove
// none is left behind.

export interface ProcessInfo {
  pid: number
  /** argv joined with spaces. */
  cmdline: string
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    )
  } catch {
    return []
  }
}

function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
  } catch {
    return null
  }
}

/** Every live descendant of `pid`, depth first. */
export function descendants(pid: number): ProcessInfo[] {
  const out: ProcessInfo[] = []
  for (const child of childrenOf(pid)) {
    const cmdline = cmdlineOf(child)
    if (cmdline !== null) out.push({ pid: child, cmdline })
    out.push(...descendants(child))
  }
  return out
}

/** The data plane run from its bundle (data-plane/dist/server.mjs) somewhere under `pid`. */
export function dataPlaneChild(pid: number): ProcessInfo | null {
  return descendants(pid).find((p) => p.cmdline.includes('data-plane/dist/server.mjs')) ?? null
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    // A zombie (exited, not yet reaped) still answers signal 0.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return false
  }
}

/** Resident memory (VmRSS) of a process in MB, null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null
  } catch {
    return null
  }
}

export async function untilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}
