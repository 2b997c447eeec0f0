import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { freePort, isListening } from './ports.ts'

/** A private redis-server on a free loopback port, for tests that kill and restart Redis. */
export interface PrivateRedis {
  url: string
  port: number
  start(): Promise<void>
  stop(): Promise<void>
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  let child: ChildProcess | null = null
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      })
      child.on('error', (err) => {
        throw new Error(`npm test needs redis-server on PATH for the fault tests: ${err.message}`)
      })
      const deadline = Date.now() + 10_000
      while (!(await isListening(port))) {
        if (Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async stop() {
      if (!child || child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
      child = null
    },
  }
}
