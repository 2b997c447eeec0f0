import { z } from 'zod'
import { IpcCall, type IpcEndpoint, type IpcMethod, isInfraMessage } from './ipc-channel.ts'
import type { Infra, Unsubscribe } from './ports.ts'

// The parent's side of the embedded transport: every call a child makes is forwarded to the
// parent's own infra (the in-memory twin) unchanged, so stream and bus semantics are defined
// once, in memory.ts, and both processes see the same ones. Subscriptions are pushed to the
// child; a child that goes away leaves no subscription behind.

const version = z.number().int()
const payloads = z.array(z.string())
const readOptions = z.object({ consumer: z.string(), count: z.number().int(), blockMs: z.number(), claimIdleMs: z.number() })

export interface InfraServer {
  /** Stops answering this channel and drops its subscriptions. */
  close(): Promise<void>
}

type Handler = (args: unknown[], session: Session) => Promise<unknown>

interface Session {
  endpoint: IpcEndpoint
  subscriptions: Map<number, Unsubscribe>
  nextSubscription: number
}

function handlers(infra: Infra): Record<IpcMethod, Handler> {
  return {
    'snapshots.publish': (args) => infra.snapshots.publish(version.parse(args[0]), z.string().parse(args[1])),
    'snapshots.getLatest': () => infra.snapshots.getLatest(),
    'snapshots.get': (args) => infra.snapshots.get(version.parse(args[0])),
    'snapshots.latestVersion': () => infra.snapshots.latestVersion(),
    'snapshots.subscribe': async (_args, session) => {
      const id = session.nextSubscription++
      const unsubscribe = await infra.snapshots.subscribe((v) => {
        session.endpoint.send({ sy: 'sy-infra', t: 'version', subscription: id, version: v })
      })
      session.subscriptions.set(id, unsubscribe)
      return id
    },
    'snapshots.unsubscribe': async (args, session) => {
      const id = version.parse(args[0])
      await session.subscriptions.get(id)?.()
      session.subscriptions.delete(id)
      return null
    },
    'logs.append': (args) => infra.logs.append(payloads.parse(args[0])),
    'logs.read': (args) => infra.logs.read(readOptions.parse(args[0])),
    'logs.ack': (args) => infra.logs.ack(payloads.parse(args[0])),
  }
}

/** Serves `infra` to the process at the other end of `endpoint` until it closes. */
export function serveInfraOverIpc(infra: Infra, endpoint: IpcEndpoint): InfraServer {
  const table = handlers(infra)
  const session: Session = { endpoint, subscriptions: new Map(), nextSubscription: 1 }
  let closed = false

  const onMessage = (message: unknown) => {
    if (closed || !isInfraMessage(message)) return
    const call = IpcCall.safeParse(message)
    if (!call.success) return
    const { id, method, args } = call.data
    table[method](args, session).then(
      (value) => endpoint.send({ sy: 'sy-infra', t: 'result', id, ok: true, value: value ?? null }),
      (err: unknown) => endpoint.send({ sy: 'sy-infra', t: 'result', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    )
  }
  const close = async () => {
    if (closed) return
    closed = true
    stopMessages()
    stopClose()
    const subscriptions = [...session.subscriptions.values()]
    session.subscriptions.clear()
    await Promise.all(subscriptions.map((unsubscribe) => unsubscribe()))
  }
  const stopMessages = endpoint.onMessage(onMessage)
  const stopClose = endpoint.onClose(() => void close())
  return { close }
}
