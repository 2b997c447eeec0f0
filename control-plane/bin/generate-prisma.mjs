#!/usr/bin/env node
// `prisma generate` air-gapped: the CLI wants to download its native schema engine at start,
// which fails without network. Generate never calls that engine, so point the variable at an
// existing executable (PLATFORM.md) and let it write the Rust-free client.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const pkg = join(here, '..')
const res = spawnSync(
  process.execPath,
  [join(pkg, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', join(pkg, '..', 'prisma', 'schema.prisma')],
  {
    cwd: pkg,
    stdio: ['ignore', 2, 2],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  },
)
process.exit(res.status ?? 1)
