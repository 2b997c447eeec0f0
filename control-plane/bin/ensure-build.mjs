#!/usr/bin/env node
// Builds the Remix app (`remix vite:build`) when build/server/index.js is missing or older than
// any source it is built from (app/ except app/generated, the Vite/Tailwind/PostCSS configs).
// Plain Node; all output goes to stderr so stdout stays free for the processes' own lines.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const output = join(pkg, 'build', 'server', 'index.js')
const CONFIGS = ['vite.config.ts', 'tailwind.config.ts', 'postcss.config.js', 'package.json']

function newestMtime(dir, skip) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (skip.has(path)) continue
    const mtime = entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs
    if (mtime > newest) newest = mtime
  }
  return newest
}

function buildNeeded() {
  if (!existsSync(output)) return true
  const built = statSync(output).mtimeMs
  const sources = newestMtime(join(pkg, 'app'), new Set([join(pkg, 'app', 'generated')]))
  const configs = CONFIGS.map((f) => join(pkg, f)).filter(existsSync).map((f) => statSync(f).mtimeMs)
  return Math.max(sources, ...configs) > built
}

/** Builds when needed; returns false when the build failed. */
export function ensureBuild() {
  if (!buildNeeded()) return true
  process.stderr.write('control-plane: building the console (remix vite:build)…\n')
  const remix = join(pkg, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js')
  const res = spawnSync(process.execPath, [remix, 'vite:build'], { cwd: pkg, stdio: ['ignore', 2, 2] })
  if (res.error) throw res.error
  return res.status === 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!ensureBuild()) process.exit(1)
}
