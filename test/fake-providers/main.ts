import { startFakeProviders } from './server.ts'

// `npm run fake-providers`: the fake providers as a standalone process for manual runs and
// benchmarks. Listens on FAKE_PROVIDERS_PORT (default 9100); Ctrl-C stops it.
const port = Number(process.env.FAKE_PROVIDERS_PORT ?? 9100)
const fake = await startFakeProviders({ port, record: false })
process.stdout.write(
  `fake providers listening on ${fake.url}\n  openai: ${fake.openaiBaseUrl}\n  anthropic: ${fake.anthropicBaseUrl}\n` +
    `  azure-openai: ${fake.azureBaseUrl}\n  google: ${fake.googleBaseUrl}\n  bedrock: ${fake.bedrockBaseUrl}\n`,
)

const stop = () => {
  fake.close().then(() => process.exit(0), () => process.exit(1))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
