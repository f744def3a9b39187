import { PGlite } from '@electric-sql/pglite';
import { demoSchemaStatements, demoDataStatements } from './src/demo/index.ts';
const schema = demoSchemaStatements(); const data = await demoDataStatements();
for (const variant of ['plain', 'replica', 'plain', 'replica', 'oneexec']) {
  const db = new PGlite(); await db.waitReady;
  for (const s of schema) await db.exec(s);
  if (variant === 'replica') await db.exec('SET session_replication_role = replica');
  const t2 = performance.now();
  if (variant === 'oneexec') await db.exec(data.join(';\n')); else
  for (const s of data) await db.exec(s);
  const t3 = performance.now();
  await db.close();
  console.log(variant, 'data', (t3 - t2).toFixed(0));
}
