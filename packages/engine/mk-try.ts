import { PGlite } from '@electric-sql/pglite';
import { seedDemo } from './src/demo/index.ts';
const dir = process.argv[2]!;
let t = performance.now();
const db = new PGlite(dir); await db.waitReady; const init = performance.now() - t;
const s = await seedDemo((sql) => db.exec(sql));
await db.close();
console.log(JSON.stringify({ initdbMs: Math.round(init), seedMs: Math.round(s.durationMillis), totalMs: Math.round(performance.now() - t) }));
