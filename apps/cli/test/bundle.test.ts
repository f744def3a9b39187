import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './run-cli.js';

// What every command loads at start: dist/aishell.js and the chunks it imports statically. Heavy
// modules (drivers, parsers, the translator, Redis, Prometheus, HDR histograms, LLM SDKs, the demo
// generator) must be reachable only through import(), so that a command pays only for what it uses.
const dist = path.resolve(path.dirname(BIN), '../dist');

function startupFiles(): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(
      /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
    )) {
      visit(path.resolve(path.dirname(file), m[1] as string));
    }
  };
  visit(path.join(dist, 'aishell.js'));
  return seen;
}

const HEAVY = [
  'node_modules/.pnpm/pg@',
  'node_modules/.pnpm/mysql2@',
  'node_modules/.pnpm/node-sql-parser@',
  'node_modules/.pnpm/ioredis@',
  'node_modules/.pnpm/prom-client@',
  'node_modules/.pnpm/hdr-histogram-js@',
  'node_modules/.pnpm/compromise@',
  'node_modules/.pnpm/@faker-js',
  'node_modules/.pnpm/openai@',
  'node_modules/.pnpm/@anthropic-ai',
  'node_modules/.pnpm/sql-formatter@',
  'node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/classic',
];
const EXTERNAL = ['libpg-query', '@electric-sql/pglite', 'better-sqlite3', '@napi-rs/keyring'];

describe('the start-up bundle', () => {
  it('holds no heavy module: drivers, parsers, Redis, metrics and SDKs load with import() only', () => {
    const files = startupFiles();
    expect(files.size).toBeGreaterThan(1);
    for (const [file, text] of files) {
      for (const marker of HEAVY)
        expect(text.includes(marker), `${path.basename(file)} holds ${marker}`).toBe(false);
      for (const name of EXTERNAL) {
        // A static import of a native or WebAssembly module would load it at every start.
        expect(
          new RegExp(`(?:^|[;\\s}])import[^;(]*?["']${name}["']`).test(text),
          `${path.basename(file)} imports ${name}`,
        ).toBe(false);
      }
    }
  });

  it('reaches them lazily: each is in some chunk of dist', () => {
    const all = readFileSync(path.join(dist, 'aishell.js'), 'utf8');
    // The entry names the lazy chunks through import("./chunks/...") calls.
    expect(all).toMatch(/import\("\.\/chunks\//);
  });
});
