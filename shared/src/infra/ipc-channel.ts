import type { ChildProcess } from 'node:child_process'
import { z } from 'zod'

// The wire between the embedded default's two processes (`npm start`): the control plane owns
// the in-memory infra and serves it (ipc-server.ts); the data-plane child reaches it through
// its IPC channel (ipc-client.ts). Node's child_process channel with `serialization:
// 'advanced'` (structured clone: a snapshot's megabytes of JSON cross as one string copy, not
// re-escaped). Every message is parsed here, on the side that receives it.

/** What one side of a channel can do; the other side is a process (or, in tests, a port). */
export interface IpcEndpoint {
  /**
   * Queues a message; false when the channel is already closed (nothing was sent). `onWritten`
   * runs once the message has left this process (written to the channel), or with the error.
   */
  send(message: unknown, onWritten?: (err: Error | null) => void): boolean
  onMessage(listener: (message: unknown) => void): () => void
  /** Once, when the channel closes (the other process exited or disconnected). */
  onClose(listener: () => void): () => void
}

/** The infra methods a child may call: exactly the ports' methods, forwarded one to one. */
export const IPC_METHODS = [
  'snapshots.publish',
  'snapshots.getLatest',
  'snapshots.get',
  'snapshots.latestVersion',
  'snapshots.subscribe',
  'snapshots.unsubscribe',
  'logs.append',
  'logs.read',
  'logs.ack',
] as const
export type IpcMethod = (typeof IPC_METHODS)[number]

const tag = z.literal('sy-infra')

export const IpcCall = z.object({ sy: tag, t: z.literal('call'), id: z.number().int(), method: z.enum(IPC_METHODS), args: z.array(z.unknown()) })
export type IpcCall = z.infer<typeof IpcCall>

export const IpcToChild = z.union([
  z.object({ sy: tag, t: z.literal('result'), id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ sy: tag, t: z.literal('result'), id: z.number().int(), ok: z.literal(false), error: z.string() }),
  /** A subscription's announcement, pushed parent → child. */
  z.object({ sy: tag, t: z.literal('version'), subscription: z.number().int(), version: z.number().int() }),
])
export type IpcToChild = z.infer<typeof IpcToChild>

/** Whether a message belongs to the infra protocol (the supervisor shares the channel). */
export function isInfraMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { sy?: unknown }).sy === 'sy-infra'
}

/** This process's own channel to its parent (the data-plane child); null when it has none. */
export function parentEndpoint(): IpcEndpoint | null {
  if (!process.send || !process.channel) return null
  return {
    send(message, onWritten) {
      if (!process.connected || !process.send) return false
      // The callback also keeps a send racing a closing channel from throwing into the process.
      process.send(message, undefined, {}, (err) => onWritten?.(err ?? null))
      return true
    },
    onMessage(listener) {
      process.on('message', listener)
      return () => process.off('message', listener)
    },
    onClose(listener) {
      process.once('disconnect', listener)
      return () => process.off('disconnect', listener)
    },
  }
}

/** A spawned child's channel, seen from the parent. */
export function childEndpoint(child: ChildProcess): IpcEndpoint {
  return {
    send(message, onWritten) {
      if (!child.connected) return false
      child.send(message as Parameters<ChildProcess['send']>[0], (err) => onWritten?.(err ?? null))
      return true
    },
    onMessage(listener) {
      child.on('message', listener)
      return () => child.off('message', listener)
    },
    onClose(listener) {
      child.once('disconnect', listener)
      return () => child.off('disconnect', listener)
    },
  }
}

/** The data-plane child's word to its supervisor, on the same channel: it is serving at `url`. */
export const DataPlaneListening = z.object({ sy: z.literal('sy-data-plane'), t: z.literal('listening'), url: z.string() })
export type DataPlaneListening = z.infer<typeof DataPlaneListening>
