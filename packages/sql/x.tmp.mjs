const db = process.argv[2];
const m = await import(`node-sql-parser/build/${db}.js`);
const p = new m.default.Parser();
const stmts = process.argv.slice(3);
for (const s of stmts) {
 try { const r = p.astify(s, {database: db==='mariadb'?'mariadb':db}); console.log(s, '=>', JSON.stringify(r, (k,v)=> v===null?undefined:v)); } catch(e) { console.log(s, 'ERR', e.message.slice(0,150), JSON.stringify(e.location)) }
}
