import fs from 'node:fs';
const t0 = performance.now();
const { PGlite } = await import('@electric-sql/pglite');
const t1 = performance.now();
const mode = process.argv[3];
const opts = {};
let t2 = t1;
if (mode === 'module') { opts.pgliteWasmModule = await WebAssembly.compile(fs.readFileSync(new URL('./node_modules/@electric-sql/pglite/dist/pglite.wasm', import.meta.url))); t2 = performance.now(); }
if (mode === 'relaxed') opts.relaxedDurability = true;
const db = new PGlite(process.argv[2], opts); await db.query('select 1');
const t3 = performance.now();
await db.query('select count(*) from orders');
const t4 = performance.now();
await db.close();
console.log(JSON.stringify({ mode, import: Math.round(t1 - t0), compile: Math.round(t2 - t1), open: Math.round(t3 - t2), total: Math.round(t3 - t0), firstQuery: Math.round(t4 - t3) }));
