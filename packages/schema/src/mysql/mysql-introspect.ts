// Reads a MySQL/MariaDB database from information_schema in a fixed number of queries. Definitions the
// server stores with the database's name in them (views, generated columns, checks) are kept with that
// name removed, so that two databases (`prod` and a scratch copy) compare.
import { messageOf, SchemaError, sqlStateOf, throwIfAborted } from '../errors.js';
import type { IntrospectOptions, SchemaRun } from '../introspect-options.js';
import { bool, numberOrNull, text, textOrNull } from '../row-values.js';
import type {
  MysqlColumn,
  MysqlForeignKey,
  MysqlIndex,
  MysqlRoutine,
  MysqlSchemaModel,
  MysqlTable,
  MysqlTrigger,
  MysqlView,
  UnmodelledObject,
} from '../schema-model.js';
import { mysqlIdent, mysqlString } from '../sql-quoting.js';

type Row = Record<string, unknown>;

/** A row's value by column name, whatever case the server gave the column. */
function get(r: Row, name: string): unknown {
  if (name in r) return r[name];
  const upper = name.toUpperCase();
  if (upper in r) return r[upper];
  const lower = name.toLowerCase();
  return r[lower];
}

const NUMERIC =
  /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit|bool|boolean|year)\b/i;

/** MariaDB and MySQL version numbers from `version()`. */
export function mysqlFlavor(version: string): {
  flavor: 'mysql' | 'mariadb';
  major: number;
  minor: number;
  patch: number;
} {
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  return { flavor: /mariadb/i.test(version) ? 'mariadb' : 'mysql', major, minor, patch };
}

/** Reads the database `options.database` (default: the current one) of the server `run` is connected to. */
export async function introspectMysql(
  run: SchemaRun,
  options: IntrospectOptions = {},
): Promise<MysqlSchemaModel> {
  const { signal } = options;
  throwIfAborted(signal);
  const query = async (name: string, sql: string): Promise<readonly Row[]> => {
    try {
      const { rows } = await run(sql);
      throwIfAborted(signal);
      return rows;
    } catch (error) {
      if (error instanceof SchemaError) throw error;
      const sqlState = sqlStateOf(error);
      throw new SchemaError('SCHEMA_INTROSPECTION', `cannot read the ${name}: ${messageOf(error)}`, {
        cause: error,
        ...(sqlState === undefined ? {} : { sqlState }),
      });
    }
  };
  const [head] = await query(
    'server version',
    `select version() as version, ${options.database === undefined ? 'database()' : mysqlString(options.database)} as db`,
  );
  const version = text(get(head ?? {}, 'version'));
  const database = textOrNull(get(head ?? {}, 'db'));
  if (!database)
    throw new SchemaError(
      'SCHEMA_BAD_OPTION',
      'no database to read: the connection has no current database and none was given',
    );
  const { flavor, major, minor, patch } = mysqlFlavor(version);
  if (flavor === 'mysql' && (major < 8 || (major === 8 && minor === 0 && patch < 16)))
    throw new SchemaError(
      'SCHEMA_UNSUPPORTED',
      `MySQL ${version} is older than 8.0.16, the oldest this differ reads`,
    );
  if (flavor === 'mariadb' && (major < 10 || (major === 10 && minor < 3)))
    throw new SchemaError(
      'SCHEMA_UNSUPPORTED',
      `MariaDB ${version} is older than 10.3, the oldest this differ reads`,
    );
  const db = mysqlString(database);
  const checksSql =
    flavor === 'mariadb'
      ? `select table_name, constraint_name, check_clause from information_schema.check_constraints where constraint_schema = ${db}`
      : `select tc.table_name, cc.constraint_name, cc.check_clause from information_schema.table_constraints tc
           join information_schema.check_constraints cc on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name
         where tc.constraint_schema = ${db} and tc.constraint_type = 'CHECK'`;
  const [
    schemaRows,
    tables,
    columns,
    statistics,
    fks,
    checks,
    views,
    triggers,
    routines,
    parameters,
    events,
    partitions,
  ] = await Promise.all([
    query(
      'database',
      `select default_character_set_name as charset, default_collation_name as collation_name from information_schema.schemata where schema_name = ${db}`,
    ),
    query(
      'tables',
      `select t.table_name, t.table_type, t.engine, t.table_collation, co.character_set_name as charset, t.create_options, t.table_comment
         from information_schema.tables t left join information_schema.collations co on co.collation_name = t.table_collation
         where t.table_schema = ${db} order by t.table_name`,
    ),
    query(
      'columns',
      `select table_name, column_name, column_type, is_nullable, column_default, extra, generation_expression,
           character_set_name, collation_name, column_comment
         from information_schema.columns where table_schema = ${db} order by table_name, ordinal_position`,
    ),
    query(
      'indexes',
      `select * from information_schema.statistics where table_schema = ${db} order by table_name, index_name, seq_in_index`,
    ),
    query(
      'foreign keys',
      `select rc.table_name, rc.constraint_name, rc.referenced_table_name, rc.update_rule, rc.delete_rule,
           k.column_name, k.referenced_table_schema, k.referenced_column_name
         from information_schema.referential_constraints rc
           join information_schema.key_column_usage k on k.constraint_schema = rc.constraint_schema
             and k.constraint_name = rc.constraint_name and k.table_name = rc.table_name
         where rc.constraint_schema = ${db} order by rc.table_name, rc.constraint_name, k.ordinal_position`,
    ),
    query('checks', checksSql),
    query('views', `select * from information_schema.views where table_schema = ${db} order by table_name`),
    query(
      'triggers',
      `select trigger_name, event_object_table, action_timing, event_manipulation, action_statement
         from information_schema.triggers where trigger_schema = ${db} order by event_object_table, trigger_name`,
    ),
    query(
      'routines',
      `select routine_name, routine_type, dtd_identifier, routine_definition, is_deterministic, sql_data_access,
           security_type, routine_comment
         from information_schema.routines where routine_schema = ${db} order by routine_type, routine_name`,
    ),
    query(
      'routine parameters',
      `select specific_name, routine_type, parameter_mode, parameter_name, dtd_identifier
         from information_schema.parameters where specific_schema = ${db} and ordinal_position > 0
         order by routine_type, specific_name, ordinal_position`,
    ),
    query(
      'events',
      `select event_name, event_definition, event_type, interval_value, interval_field, status
         from information_schema.events where event_schema = ${db} order by event_name`,
    ),
    query(
      'partitions',
      `select table_name, partition_method, partition_expression, partition_name, partition_description
         from information_schema.partitions where table_schema = ${db} and partition_name is not null
         order by table_name, partition_ordinal_position`,
    ),
  ]);

  const strip = (s: string) => s.replaceAll(`${mysqlIdent(database)}.`, '');
  const unmodelled: UnmodelledObject[] = [];
  const byTable = <T>(list: readonly Row[], make: (r: Row) => T): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const r of list) {
      const t = text(get(r, 'table_name'));
      const bucket = map.get(t);
      if (bucket) bucket.push(make(r));
      else map.set(t, [make(r)]);
    }
    return map;
  };

  const columnsBy = byTable(columns, (r): MysqlColumn => column(r, flavor, strip));

  const indexesBy = new Map<string, MysqlIndex[]>();
  for (const r of statistics) {
    const table = text(get(r, 'table_name'));
    const name = text(get(r, 'index_name'));
    const list = indexesBy.get(table) ?? [];
    indexesBy.set(table, list);
    let index = list.find((i) => i.name === name);
    if (!index) {
      const ignored = get(r, 'ignored') ?? get(r, 'is_visible');
      index = {
        name,
        unique: !bool(get(r, 'non_unique')),
        type: text(get(r, 'index_type')).toUpperCase(),
        parts: [],
        comment: text(get(r, 'index_comment')),
        ignored:
          get(r, 'ignored') !== undefined
            ? bool(ignored)
            : get(r, 'is_visible') !== undefined
              ? !bool(ignored)
              : false,
      };
      list.push(index);
    }
    const expression = textOrNull(get(r, 'expression'));
    (index.parts as MysqlIndex['parts'][number][]).push({
      column: textOrNull(get(r, 'column_name')),
      expression: expression === null ? null : strip(expression),
      length: numberOrNull(get(r, 'sub_part')),
      descending: text(get(r, 'collation')) === 'D',
    });
  }

  const fksBy = new Map<string, MysqlForeignKey[]>();
  for (const r of fks) {
    const table = text(get(r, 'table_name'));
    const name = text(get(r, 'constraint_name'));
    const list = fksBy.get(table) ?? [];
    fksBy.set(table, list);
    let fk = list.find((f) => f.name === name);
    if (!fk) {
      const refSchema = text(get(r, 'referenced_table_schema'));
      fk = {
        name,
        columns: [],
        referencedSchema: refSchema === database || refSchema === '' ? null : refSchema,
        referencedTable: text(get(r, 'referenced_table_name')),
        referencedColumns: [],
        onUpdate: text(get(r, 'update_rule'), 'RESTRICT'),
        onDelete: text(get(r, 'delete_rule'), 'RESTRICT'),
      };
      list.push(fk);
    }
    (fk.columns as string[]).push(text(get(r, 'column_name')));
    (fk.referencedColumns as string[]).push(text(get(r, 'referenced_column_name')));
  }

  const checksBy = byTable(checks, (r) => ({
    name: text(get(r, 'constraint_name')),
    clause: strip(text(get(r, 'check_clause'))),
  }));
  for (const list of checksBy.values()) list.sort((a, b) => a.name.localeCompare(b.name));

  const partitioned = new Map<string, string[]>();
  for (const r of partitions) {
    const t = text(get(r, 'table_name'));
    const list = partitioned.get(t) ?? [];
    list.push(`${text(get(r, 'partition_name'))} ${text(get(r, 'partition_description'))}`.trim());
    partitioned.set(t, list);
    if (list.length === 1)
      list.unshift(`${text(get(r, 'partition_method'))} (${strip(text(get(r, 'partition_expression')))})`);
  }

  const tableList: MysqlTable[] = [];
  const viewNames = new Set<string>();
  for (const r of tables) {
    const name = text(get(r, 'table_name'));
    const type = text(get(r, 'table_type'));
    if (type === 'VIEW') {
      viewNames.add(name);
      continue;
    }
    if (type === 'SEQUENCE') {
      unmodelled.push({ kind: 'sequence', name, definition: 'sequence' });
      continue;
    }
    if (type === 'SYSTEM VERSIONED')
      unmodelled.push({ kind: 'system versioning', name, definition: 'WITH SYSTEM VERSIONING' });
    const parts = partitioned.get(name);
    if (parts) unmodelled.push({ kind: 'partitioning', name, definition: parts.join(', ') });
    const options = text(get(r, 'create_options'))
      .split(/\s+/)
      .filter((o) => o !== '' && o.toLowerCase() !== 'partitioned')
      .sort();
    tableList.push({
      name,
      engine: text(get(r, 'engine')),
      charset: text(get(r, 'charset')),
      collation: text(get(r, 'table_collation')),
      comment: text(get(r, 'table_comment')),
      options,
      columns: columnsBy.get(name) ?? [],
      indexes: indexesBy.get(name) ?? [],
      foreignKeys: fksBy.get(name) ?? [],
      checks: checksBy.get(name) ?? [],
    });
  }

  const viewList: MysqlView[] = views.map((r) => {
    const name = text(get(r, 'table_name'));
    const definition = strip(text(get(r, 'view_definition')));
    const referenced = new Set<string>();
    for (const m of definition.matchAll(/`((?:[^`]|``)+)`/g))
      referenced.add((m[1] as string).replaceAll('``', '`'));
    return {
      name,
      definition,
      checkOption: text(get(r, 'check_option'), 'NONE').toUpperCase() as MysqlView['checkOption'],
      security: text(get(r, 'security_type'), 'DEFINER').toUpperCase() as MysqlView['security'],
      algorithm: text(get(r, 'algorithm'), 'UNDEFINED').toUpperCase(),
      dependsOn: [...referenced].filter((n) => n !== name && viewNames.has(n)).sort(),
    };
  });

  const triggerList: MysqlTrigger[] = triggers.map((r) => ({
    name: text(get(r, 'trigger_name')),
    table: text(get(r, 'event_object_table')),
    timing: text(get(r, 'action_timing')).toUpperCase(),
    event: text(get(r, 'event_manipulation')).toUpperCase(),
    body: text(get(r, 'action_statement')),
  }));

  const paramsBy = new Map<string, string[]>();
  for (const r of parameters) {
    const key = `${text(get(r, 'routine_type')).toUpperCase()} ${text(get(r, 'specific_name'))}`;
    const mode = textOrNull(get(r, 'parameter_mode'));
    const p = `${key.startsWith('PROCEDURE') && mode ? `${mode} ` : ''}${mysqlIdent(text(get(r, 'parameter_name')))} ${text(get(r, 'dtd_identifier'))}`;
    paramsBy.set(key, [...(paramsBy.get(key) ?? []), p]);
  }
  const routineList: MysqlRoutine[] = routines.map((r) => {
    const kind = text(get(r, 'routine_type')).toUpperCase() === 'PROCEDURE' ? 'PROCEDURE' : 'FUNCTION';
    const name = text(get(r, 'routine_name'));
    return {
      name,
      kind,
      parameters: (paramsBy.get(`${kind} ${name}`) ?? []).join(', '),
      returns: kind === 'FUNCTION' ? text(get(r, 'dtd_identifier')) : '',
      body: text(get(r, 'routine_definition')),
      deterministic: bool(get(r, 'is_deterministic')),
      dataAccess: text(get(r, 'sql_data_access'), 'CONTAINS SQL').toUpperCase(),
      security: text(get(r, 'security_type'), 'DEFINER').toUpperCase() as MysqlRoutine['security'],
      comment: text(get(r, 'routine_comment')),
    };
  });

  for (const r of events)
    unmodelled.push({
      kind: 'event',
      name: text(get(r, 'event_name')),
      definition: `${text(get(r, 'event_type'))} ${text(get(r, 'interval_value'))} ${text(get(r, 'interval_field'))} ${text(get(r, 'status'))} ${strip(text(get(r, 'event_definition')))}`,
    });

  const schemaRow = schemaRows[0] ?? {};
  return {
    dialect: 'mysql',
    flavor,
    serverVersion: version,
    database,
    defaultCharset: text(get(schemaRow, 'charset')),
    defaultCollation: text(get(schemaRow, 'collation_name')),
    tables: tableList,
    views: viewList,
    triggers: triggerList,
    routines: routineList,
    unmodelled: unmodelled.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
  };
}

function column(r: Row, flavor: 'mysql' | 'mariadb', strip: (s: string) => string): MysqlColumn {
  const type = text(get(r, 'column_type'));
  const extra = text(get(r, 'extra'));
  const rawDefault = get(r, 'column_default');
  const generated = /\b(VIRTUAL|STORED) GENERATED\b/i.exec(extra);
  const onUpdate = /\bon update (\S+)/i.exec(extra);
  let def: string | null = null;
  if (!generated && rawDefault !== null && rawDefault !== undefined) {
    const raw = text(rawDefault);
    if (flavor === 'mariadb') def = raw === 'NULL' ? null : raw;
    else if (/DEFAULT_GENERATED/i.test(extra)) def = /^current_timestamp/i.test(raw) ? raw : `(${raw})`;
    else def = NUMERIC.test(type) || /^b'/i.test(raw) ? raw : mysqlString(raw);
  }
  return {
    name: text(get(r, 'column_name')),
    type,
    nullable: text(get(r, 'is_nullable')).toUpperCase() === 'YES',
    default: def,
    onUpdate: onUpdate ? (onUpdate[1] as string) : null,
    autoIncrement: /\bauto_increment\b/i.test(extra),
    generated: generated
      ? {
          expression: strip(text(get(r, 'generation_expression'))),
          stored: (generated[1] as string).toUpperCase() === 'STORED',
        }
      : null,
    invisible: /\bINVISIBLE\b/i.test(extra),
    charset: textOrNull(get(r, 'character_set_name')),
    collation: textOrNull(get(r, 'collation_name')),
    comment: text(get(r, 'column_comment')),
  };
}
