import { Link } from '@remix-run/react'
import { ActivityIcon } from '../icons.tsx'
import { buttonClasses } from '../ui/button.tsx'
import { CopyButton } from '../ui/copy-button.tsx'

// The logs page before the first request: how to make one, with this installation's base URL.

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <div className="text-left">
      <div className="flex items-center justify-between">
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</p>
        <CopyButton value={code} />
      </div>
      <pre className="mt-2 overflow-x-auto rounded-lg bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100">{code}</pre>
    </div>
  )
}

export function FirstCall({ baseUrl, keysHref, provider }: { baseUrl: string; keysHref: string; provider: string | null }) {
  const model = `${provider ?? '<connection>'}/gpt-4o-mini`
  const curl = `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`
  const sdk = `import OpenAI from 'openai'

const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: process.env.SWITCHYARD_KEY })
const completion = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: 'Hello' }],
})`
  return (
    <section className="rounded-xl border-2 border-dashed border-slate-200 bg-white px-6 py-10">
      <div className="mx-auto flex max-w-2xl flex-col items-center text-center">
        <div className="flex h-12 w-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600" aria-hidden="true">
          <ActivityIcon className="h-6 w-6" />
        </div>
        <h2 className="mt-4 text-base font-semibold text-slate-900">No requests yet</h2>
        <p className="mt-1 text-sm text-slate-500">
          Point any OpenAI SDK at <code className="rounded bg-slate-100 px-1 font-mono text-slate-800">{baseUrl}</code> with a virtual key.
          Models are named <code className="rounded bg-slate-100 px-1 font-mono text-slate-800">&lt;connection&gt;/&lt;model&gt;</code>.
          Requests show up here within seconds.
        </p>
        <Link to={keysHref} className={buttonClasses('primary', 'md', 'mt-5')}>
          Get a virtual key
        </Link>
      </div>
      <div className="mx-auto mt-8 grid max-w-3xl gap-6">
        <Snippet title="curl" code={curl} />
        <Snippet title="OpenAI SDK (Node)" code={sdk} />
      </div>
    </section>
  )
}
