import type { ProviderType } from '@switchyard/shared/snapshot'
import { useState } from 'react'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { Field } from './ui/field.tsx'
import { Input } from './ui/input.tsx'

// The type-specific fields of a provider connection (CONTRACT.md "Provider base URLs"), shared
// by the add form and the detail page. Field names are what provider-forms.server.ts reads.

export type FieldErrors = Record<string, string> | undefined

interface TypeInfo {
  label: string
  /** The public default base URL; null = the connection must name one. */
  defaultBaseUrl: string | null
  baseUrlHint: string
}

export const PROVIDER_TYPE_INFO = {
  openai: { label: 'OpenAI', defaultBaseUrl: 'https://api.openai.com/v1', baseUrlHint: 'Includes /v1. Leave empty for OpenAI itself.' },
  anthropic: { label: 'Anthropic', defaultBaseUrl: 'https://api.anthropic.com', baseUrlHint: 'Without /v1. Leave empty for Anthropic itself.' },
  'azure-openai': { label: 'Azure OpenAI', defaultBaseUrl: null, baseUrlHint: 'Your resource, e.g. https://my-resource.openai.azure.com' },
  google: { label: 'Google Gemini', defaultBaseUrl: 'https://generativelanguage.googleapis.com', baseUrlHint: 'Leave empty for Google itself.' },
  bedrock: { label: 'AWS Bedrock', defaultBaseUrl: null, baseUrlHint: 'Leave empty for bedrock-runtime.<region>.amazonaws.com.' },
  'openai-compatible': { label: 'OpenAI-compatible', defaultBaseUrl: null, baseUrlHint: 'Includes /v1, e.g. http://127.0.0.1:11434/v1 (Ollama, vLLM, Groq…)' },
} as const satisfies Record<ProviderType, TypeInfo>

export const PROVIDER_TYPE_LIST = Object.keys(PROVIDER_TYPE_INFO) as ProviderType[]

export function isProviderType(value: string | null | undefined): value is ProviderType {
  return value !== null && value !== undefined && value in PROVIDER_TYPE_INFO
}

export function ProviderTypeBadge({ type }: { type: string }) {
  const info = isProviderType(type) ? PROVIDER_TYPE_INFO[type] : null
  return <Badge tone={type === 'openai-compatible' ? 'neutral' : 'indigo'}>{info?.label ?? type}</Badge>
}

/** The credential: an API key, or AWS credentials for Bedrock. Write-only, never prefilled. */
export function CredentialFields({ type, errors, replacing }: { type: ProviderType; errors: FieldErrors; replacing?: boolean }) {
  const secret = { type: 'password', autoComplete: 'off', spellCheck: false } as const
  if (type === 'bedrock') {
    return (
      <>
        <Field label="Access key ID" name="accessKeyId" {...secret} type="text" required error={errors?.accessKeyId} />
        <Field label="Secret access key" name="secretAccessKey" {...secret} required error={errors?.secretAccessKey} />
        <Field label="Session token" name="sessionToken" {...secret} description="Optional: only for temporary credentials." error={errors?.sessionToken} />
      </>
    )
  }
  const optional = type === 'openai-compatible'
  return (
    <Field
      label={replacing ? 'New API key' : 'API key'}
      name="apiKey"
      {...secret}
      required={!optional}
      description={optional ? 'Optional: local servers often take no key.' : 'Encrypted in the vault; afterwards only its last four characters are shown.'}
      error={errors?.apiKey}
    />
  )
}

export function BaseUrlField({ type, defaultValue, error }: { type: ProviderType; defaultValue?: string | null; error?: string | undefined }) {
  const info: TypeInfo = PROVIDER_TYPE_INFO[type]
  return (
    <Field
      label={info.defaultBaseUrl ? 'Base URL (optional)' : type === 'bedrock' ? 'Endpoint URL (optional)' : 'Base URL'}
      name="baseUrl"
      type="url"
      inputMode="url"
      defaultValue={defaultValue ?? ''}
      placeholder={info.defaultBaseUrl ?? (type === 'azure-openai' ? 'https://my-resource.openai.azure.com' : type === 'bedrock' ? '' : 'http://127.0.0.1:11434/v1')}
      required={info.defaultBaseUrl === null && type !== 'bedrock'}
      description={info.baseUrlHint}
      error={error}
    />
  )
}

function str(settings: Record<string, unknown> | undefined, key: string): string {
  const value = settings?.[key]
  return typeof value === 'string' ? value : ''
}

/** Settings per type: OpenAI organization/project, Azure api-version + deployments, Bedrock region. */
export function SettingsFields({ type, settings, errors }: { type: ProviderType; settings?: Record<string, unknown>; errors: FieldErrors }) {
  if (type === 'openai') {
    return (
      <>
        <Field label="Organization (optional)" name="organization" defaultValue={str(settings, 'organization')} placeholder="org-…" error={errors?.organization} />
        <Field label="Project (optional)" name="project" defaultValue={str(settings, 'project')} placeholder="proj_…" error={errors?.project} />
      </>
    )
  }
  if (type === 'bedrock') {
    return <Field label="Region" name="region" required defaultValue={str(settings, 'region')} placeholder="us-east-1" error={errors?.region} />
  }
  if (type !== 'azure-openai') return null
  const deployments = settings?.deployments
  const rows = typeof deployments === 'object' && deployments !== null ? Object.entries(deployments as Record<string, unknown>).map(([a, d]) => [a, String(d)] as const) : []
  return (
    <>
      <Field label="API version" name="apiVersion" required defaultValue={str(settings, 'apiVersion') || '2024-10-21'} description="For example 2024-10-21." error={errors?.apiVersion} />
      <DeploymentRows initial={rows} error={errors?.deployments} />
    </>
  )
}

/** Model alias → Azure deployment rows; "Add a row" needs JavaScript, three empty rows work without. */
function DeploymentRows({ initial, error }: { initial: ReadonlyArray<readonly [string, string]>; error?: string | undefined }) {
  const [rows, setRows] = useState<Array<readonly [string, string]>>(() => [...initial, ...Array.from({ length: Math.max(1, 3 - initial.length) }, () => ['', ''] as const)])
  return (
    <fieldset className="sm:col-span-2" aria-describedby="deployments-help">
      <legend className="text-sm font-medium text-slate-800">Deployments</legend>
      <p id="deployments-help" className="mt-1 text-xs text-slate-500">
        The model name your apps send (after <code>&lt;connection&gt;/</code>) → the Azure deployment that serves it.
      </p>
      <div className="mt-2 space-y-2">
        {rows.map(([alias, deployment], i) => (
          <div key={i} className="grid grid-cols-[1fr_auto_1fr] items-center gap-2">
            <Input name="deploymentAlias" aria-label={`Model alias ${i + 1}`} defaultValue={alias} placeholder="gpt-4o" />
            <span className="text-slate-400" aria-hidden="true">→</span>
            <Input name="deploymentName" aria-label={`Deployment ${i + 1}`} defaultValue={deployment} placeholder="my-gpt4o-deployment" />
          </div>
        ))}
      </div>
      <Button variant="ghost" size="sm" className="mt-2" onClick={() => setRows((r) => [...r, ['', '']])}>
        + Add a row
      </Button>
      {error ? <p className="mt-1.5 text-sm text-red-600">{error}</p> : null}
    </fieldset>
  )
}
