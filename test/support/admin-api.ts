/** A thin client for the admin API as a script would call it (CONTRACT.md). */
export function adminApi(baseUrl: string, token: string) {
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null }
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  }
}

export async function waitForReady(url: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`)
      const body = (await res.json()) as Record<string, unknown>
      if (res.status === 200) return body
      last = JSON.stringify(body)
    } catch (err) {
      last = (err as Error).message
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url}/readyz not ready in ${timeoutMs} ms: ${last}`)
}
