const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { PGlite } = await import('@electric-sql/pglite');
const mode = process.argv[3];
const opts = {};
if (mode === 'sb16') opts.startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
if (mode === 'sb16mem') { opts.startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB']; opts.initialMemory = 64 * 1024 * 1024; }
const db = new PGlite(process.argv[2], opts); await db.query('select 1');
const t3 = performance.now(); const used = process.cpuUsage(cpu0);
const sb = (await db.query('show shared_buffers')).rows[0];
const t = performance.now(); await db.query('select count(*) from orders o join customers c on c.id = o.customer_id'); const q = performance.now() - t;
await db.close();
console.log(JSON.stringify({ mode, open: Math.round(t3 - t0), cpu: Math.round((used.user + used.system) / 1000), sb, q: Math.round(q) }));
