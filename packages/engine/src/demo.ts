import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createPool } from '@aishell/pool';
import type { AishellPaths } from './paths.js';

export interface EnsureDemoOptions {
  /** Drop the existing demo database and create it anew. @default false */
  readonly reset?: boolean;
  /** Called as the demo is filled (statements done, statements in all). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface EnsureDemoResult {
  readonly path: string;
  /** True when this call created the database (first use or --reset). */
  readonly created: boolean;
  readonly durationMs: number;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Create the embedded demo database once (or again with `reset`). It is built in a temporary folder
 * beside its final place and renamed into place, so an interrupted build never leaves a half-filled demo
 * and two processes racing to create it both end with one whole database.
 */
export async function ensureDemo(
  paths: AishellPaths,
  options: EnsureDemoOptions = {},
): Promise<EnsureDemoResult> {
  const started = performance.now();
  const dir = paths.demoDir;
  if (options.reset) await rm(dir, { recursive: true, force: true });
  else if (await exists(path.join(dir, 'PG_VERSION'))) {
    return { path: dir, created: false, durationMs: performance.now() - started };
  }
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  const tmp = `${dir}.building-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  // Loaded here, not at start-up: the generator and faker are needed only while the demo is built.
  const { seedDemo } = await import('@aishell/demo');
  const pool = createPool(`pglite://${tmp}`);
  try {
    await seedDemo(
      (sql: string) => pool.query(sql),
      options.onProgress ? { onProgress: options.onProgress } : {},
    );
  } catch (error) {
    await pool.close();
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  await pool.close();
  try {
    await rename(tmp, dir);
  } catch (error) {
    // Another process finished first: keep its database and drop ours.
    await rm(tmp, { recursive: true, force: true });
    if (!(await exists(path.join(dir, 'PG_VERSION')))) throw error;
  }
  return { path: dir, created: true, durationMs: performance.now() - started };
}
