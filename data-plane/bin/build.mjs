#!/usr/bin/env node
// Builds the data plane into one ES module, data-plane/dist/server.mjs, when it is missing or
// older than any source it is built from (data-plane/src, shared/src, their package.json).
// `npm run start:data-plane` runs that file with plain node, and so does `npm start` for its
// supervised data-plane child: no TypeScript loader at run time, which would cost a loader
// thread, its caches and ~25 MB of resident memory. (tsx stays what runs the tests, the CLI and
// the control plane.)
// Plain Node; output on stderr only.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(pkg, '..')
// Two directories below the checkout, like shared/src/env.ts: its `new URL('../../', import.meta.url)`
// (the checkout, for the default data dir) resolves the same from the bundle.
export const DATA_PLANE_BUNDLE = join(pkg, 'dist', 'server.mjs')
const SOURCES = [join(pkg, 'src'), join(root, 'shared', 'src'), join(pkg, 'package.json'), join(root, 'shared', 'package.json'), join(root, 'pnpm-lock.yaml')]

function newestMtime(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

function buildNeeded() {
  if (!existsSync(DATA_PLANE_BUNDLE)) return true
  const built = statSync(DATA_PLANE_BUNDLE).mtimeMs
  return SOURCES.filter(existsSync).some((source) => newestMtime(source) > built)
}

/**
 * Builds when needed and returns the bundle's path. Replicas starting together from one checkout
 * each write their own file and rename it into place (atomic), so none runs a half-written one.
 */
export async function ensureDataPlaneBuild() {
  if (!buildNeeded()) return DATA_PLANE_BUNDLE
  const { build } = await import('esbuild')
  mkdirSync(dirname(DATA_PLANE_BUNDLE), { recursive: true })
  const partial = `${DATA_PLANE_BUNDLE}.${process.pid}.partial`
  await build({
    entryPoints: [join(pkg, 'src', 'server.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS dependencies bundled into an ES module still call require() for node: builtins.
    banner: { js: "import { createRequire as __dataPlaneRequire } from 'node:module'; const require = __dataPlaneRequire(import.meta.url);" },
    // The token-count estimator's BPE ranks (≈4 MB of source) load from node_modules on first use
    // of /v1/messages/count_tokens, not with every replica.
    external: ['gpt-tokenizer', 'gpt-tokenizer/*'],
    logLevel: 'error',
  })
  renameSync(partial, DATA_PLANE_BUNDLE)
  return DATA_PLANE_BUNDLE
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stderr.write(`data-plane: ${await ensureDataPlaneBuild()}\n`)
}
