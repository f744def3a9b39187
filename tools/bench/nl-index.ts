// Cost of the translator's schema index on a large schema: buildSchemaIndex over N synthetic tables
// (10 columns each, a foreign key to an earlier table), and translate() on it, beside translate() on
// a 6-table schema measured in the same run. `pnpm bench nl-index [--tables 500] [--json]`
import { buildSchemaIndex, type NlSchema, translate } from '@aishell/nl';

const argv = process.argv.slice(2);
const at = argv.indexOf('--tables');
const count = at === -1 ? 500 : Number(argv[at + 1]);
const NOUNS = [
  'customer',
  'order',
  'product',
  'invoice',
  'shipment',
  'supplier',
  'employee',
  'ticket',
  'payment',
  'review',
];
// Made-up prefixes (bo, boka, ...), so that every table has its own two-word name: boka_orders.
const SYLLABLES = ['bo', 'ka', 'mi', 'ru', 'te', 'za', 'lo', 'fe', 'gu', 'ni'];
const prefix = (i: number): string =>
  `${SYLLABLES[i % 10]}${SYLLABLES[Math.floor(i / 10) % 10]}${SYLLABLES[Math.floor(i / 100) % 10]}`;
const tableName = (i: number): string => `${prefix(i)}_${NOUNS[i % NOUNS.length]}s`;

function schemaOf(n: number): NlSchema {
  const tables = Array.from({ length: n }, (_, i) => {
    const name = tableName(i);
    const ref = i > 0 ? tableName(i - 1) : null;
    return {
      schema: 'public',
      name,
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'name', type: 'text', nullable: false },
        { name: 'status', type: 'text', nullable: true },
        { name: 'created_at', type: 'timestamptz', nullable: false },
        { name: 'amount', type: 'numeric(10,2)', nullable: true },
        { name: `${NOUNS[i % NOUNS.length]}Code`, type: 'varchar(20)', nullable: true },
        { name: 'quantity', type: 'integer', nullable: true },
        { name: 'note', type: 'text', nullable: true },
        { name: 'country', type: 'text', nullable: true },
        { name: 'parent_id', type: 'integer', nullable: true },
      ],
      primaryKey: ['id'],
      foreignKeys: ref
        ? [
            {
              columns: ['parent_id'],
              referencedSchema: 'public',
              referencedTable: ref,
              referencedColumns: ['id'],
            },
          ]
        : [],
    };
  });
  return { dialect: 'postgres', tables };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const time = (f: () => unknown, runs: number): number => {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  return median(ts);
};

const big = schemaOf(count);
const small = schemaOf(6);
const buildBig = time(() => buildSchemaIndex(big), 5);
const buildSmall = time(() => buildSchemaIndex(small), 20);
const bigIndex = buildSchemaIndex(big);
const smallIndex = buildSchemaIndex(small);
const words = (i: number): string => tableName(i).replace('_', ' ');
const questions = [
  `how many ${words(4)} are there`,
  `${words(3)} with an amount over 100`,
  `names of ${words(2)} created last month`,
];
const translateBig =
  time(() => {
    for (const q of questions) translate(q, bigIndex, { minConfidence: 0 });
  }, 20) / questions.length;
const translateSmall =
  time(() => {
    for (const q of questions) translate(q, smallIndex, { minConfidence: 0 });
  }, 20) / questions.length;
const round = (x: number): number => Math.round(x * 100) / 100;
process.stdout.write(
  `buildSchemaIndex: ${count} tables ${round(buildBig)} ms, 6 tables ${round(buildSmall)} ms\n`,
);
process.stdout.write(
  `translate: ${round(translateBig)} ms on ${count} tables, ${round(translateSmall)} ms on 6 (ratio ${round(translateBig / translateSmall)})\n`,
);
process.stdout.write(
  `${JSON.stringify({ tables: count, buildMs: round(buildBig), buildSmallMs: round(buildSmall), translateMs: round(translateBig), translateSmallMs: round(translateSmall), ratio: round(translateBig / translateSmall) })}\n`,
);
