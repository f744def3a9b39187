// Development aid: translate questions against one Spider database and print SQL and rows.
// `tsx --conditions=@aishell/source tools/bench/nl/try-question.ts <db_id> "question" ["question"...]`
import path from 'node:path';
import { buildSchemaIndex, buildValueIndex, linkSchema, translate } from '@aishell/nl';
import { sqliteProbe, sqliteSchema } from '@aishell/testing';
import Database from 'better-sqlite3';

const [dbId, ...questions] = process.argv.slice(2);
const file = path.resolve('..', 'shared', 'nl-bench', 'spider_dev', 'databases', dbId!, `${dbId}.sqlite`);
const db = new Database(file, { readonly: true });
const schema = sqliteSchema(db);
const index = buildSchemaIndex(schema, { values: await buildValueIndex(schema, sqliteProbe(db)) });
for (const q of questions) {
  process.stdout.write(`Q: ${q}\n`);
  try {
    const t = translate(q, index, { dialect: 'sqlite', minConfidence: 0 });
    process.stdout.write(
      `  ${t.sql} ${JSON.stringify(t.params)} (confidence ${t.confidence})\n  ${t.explanation}\n`,
    );
    const rows = db
      .prepare(t.sql)
      .raw(true)
      .all(...t.params);
    process.stdout.write(
      `  -> ${JSON.stringify(rows.slice(0, 5))}${rows.length > 5 ? ` ... ${rows.length} rows` : ''}\n`,
    );
  } catch (error) {
    process.stdout.write(`  ! ${(error as Error).message}\n`);
  }
  if (process.env.LINK) process.stdout.write(`  link: ${JSON.stringify(linkSchema(q, index))}\n`);
}
