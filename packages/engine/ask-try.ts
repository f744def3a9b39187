import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from './src/session.js';
import { ask } from './src/ask.js';
import { EMPTY_CONFIG } from './src/config.js';
const home = process.env.DEMO_HOME ?? mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-'));
let t = performance.now();
const session = await Session.open({ connection: 'demo', config: EMPTY_CONFIG, env: { XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, XDG_STATE_HOME: home } });
const schema = await session.introspect();
console.log('open', performance.now() - t, home);
if (process.env.SCHEMA) for (const tb of schema.tables) console.log(tb.name, tb.rowEstimate, tb.columns.map(c => `${c.name}:${c.type}`).join(', '));
const now = new Date('2026-06-15T12:00:00Z');
for (const q of process.argv.slice(2)) {
  try {
    const d = await ask(session, q, { now, dryRun: true }); console.log('  dry: ' + d.sql);
    const a = await ask(session, q, { now });
    console.log(`Q: ${q}\n  ${a.sql} ${JSON.stringify(a.params)} c=${a.confidence}\n  -> ${a.result?.rowCount} rows ${JSON.stringify(a.result?.rows.slice(0, 3))}`);
  } catch (e) { console.log(`Q: ${q}\n  ! ${(e as Error).message}`); }
}
await session.close();
