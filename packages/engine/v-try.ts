import { PGlite } from '@electric-sql/pglite';
import { demoSchemaStatements, demoDataStatements } from './src/demo/index.ts';
const schema = demoSchemaStatements(); const data = await demoDataStatements();
// variant "late": strip FKs + secondary indexes from CREATE TABLE, add after data
const fks: string[] = [];
const lateSchema = schema.filter((s) => !s.startsWith('CREATE INDEX')).map((s) => {
  if (!s.startsWith('CREATE TABLE')) return s;
  const table = /CREATE TABLE (\w+)/.exec(s)![1];
  return s.replace(/ REFERENCES (\w+) \(id\)( ON DELETE CASCADE)?/g, (m, ref, cas, off, str) => {
    const col = /\n  (\w+) [^\n]*$/.exec(str.slice(0, off))![1];
    fks.push(`ALTER TABLE ${table} ADD FOREIGN KEY (${col}) REFERENCES ${ref} (id)${cas ?? ''}`);
    return '';
  });
});
const idx = schema.filter((s) => s.startsWith('CREATE INDEX'));
const db = new PGlite(); await db.waitReady;
let n = 0;
for (const variant of ['plain', 'late', 'plain', 'late', 'tx', 'tx']) {
  const sch = `s${n++}`; await db.exec(`create schema ${sch}; set search_path to ${sch}`);
  const t = performance.now();
  if (variant === 'tx') await db.exec('BEGIN');
  for (const s of variant === 'late' ? lateSchema : schema) await db.exec(s);
  for (const s of data) await db.exec(s);
  if (variant === 'late') for (const s of [...fks, ...idx]) await db.exec(s);
  if (variant === 'tx') await db.exec('COMMIT');
  console.log(variant, (performance.now() - t).toFixed(0), fks.length);
}
await db.close();
