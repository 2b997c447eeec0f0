import type { FastifyInstance } from 'fastify'

// Liveness and readiness (CONTRACT.md): ready once a valid snapshot is held.
export default async function health(app: FastifyInstance) {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    const runtime = app.snapshots.runtime
    if (!runtime) return reply.code(503).send({ status: 'not_ready' })
    return { status: 'ready', snapshotVersion: runtime.version }
  })
}
