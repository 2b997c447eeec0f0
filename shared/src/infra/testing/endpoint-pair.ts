import { EventEmitter } from 'node:events'
import type { IpcEndpoint } from '../ipc-channel.ts'

// Two connected in-process endpoints with a channel's behaviour (asynchronous delivery, a
// structured-clone copy per message, close seen by both ends), and the faults a real parent
// can show: `hold()` queues what the child sends, as a busy parent does once the channel's
// buffer is full (nothing more is written), until `release()`.

export interface EndpointPair {
  parent: IpcEndpoint
  child: IpcEndpoint
  hold(): void
  release(): void
  close(): void
}

export function endpointPair(): EndpointPair {
  const events = { parent: new EventEmitter(), child: new EventEmitter() }
  let open = true
  let held: { message: unknown; onWritten?: (err: Error | null) => void }[] | null = null
  const deliver = (to: 'parent' | 'child', message: unknown) => setImmediate(() => open && events[to].emit('message', structuredClone(message)))
  const side = (self: 'parent' | 'child', other: 'parent' | 'child'): IpcEndpoint => ({
    send(message, onWritten) {
      if (!open) return false
      if (other === 'parent' && held) {
        held.push({ message, onWritten })
        return true
      }
      deliver(other, message)
      if (onWritten) setImmediate(() => onWritten(null))
      return true
    },
    onMessage(listener) {
      events[self].on('message', listener)
      return () => events[self].off('message', listener)
    },
    onClose(listener) {
      events[self].once('close', listener)
      return () => events[self].off('close', listener)
    },
  })
  return {
    parent: side('parent', 'child'),
    child: side('child', 'parent'),
    hold: () => (held ??= []),
    release() {
      const queued = held ?? []
      held = null
      for (const { message, onWritten } of queued) {
        deliver('parent', message)
        if (onWritten) setImmediate(() => onWritten(null))
      }
    },
    close() {
      if (!open) return
      open = false
      for (const { onWritten } of held ?? []) onWritten?.(new Error('channel closed'))
      held = null
      events.parent.emit('close')
      events.child.emit('close')
    },
  }
}
