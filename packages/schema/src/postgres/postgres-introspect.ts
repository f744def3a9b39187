// Reads a PostgreSQL schema from the catalog in a fixed number of queries (one per kind of object, all
// at once after the schema list), whatever the number of tables. Objects that belong to an extension
// are left out: the extension brings them. Definitions are the server's own (pg_get_*def), so that two
// models read from servers of one major version compare text to text.
import { messageOf, SchemaError, sqlStateOf, throwIfAborted } from '../errors.js';
import type { IntrospectOptions, SchemaRun } from '../introspect-options.js';
import { bool, json, text, textOrNull } from '../row-values.js';
import type {
  PgColumn,
  PgCompositeType,
  PgConstraint,
  PgConstraintType,
  PgDomain,
  PgEnum,
  PgExtension,
  PgFunction,
  PgGrant,
  PgIdentity,
  PgIndex,
  PgPolicy,
  PgSchema,
  PgSequence,
  PgTable,
  PgTrigger,
  PgView,
  PostgresSchemaModel,
  UnmodelledObject,
} from '../schema-model.js';
import { sqlString } from '../sql-quoting.js';

type Row = Record<string, unknown>;

const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast')`;

/** `not (object is a member of an extension)`, for an object of catalog `catalog` with oid `oid`. */
const notInExtension = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_depend xd where xd.classid = '${catalog}'::regclass and xd.objid = ${oid} and xd.deptype = 'e')`;

/** The key a function is known by in `dependsOn` and `defaultCalls`: `schema.name(argument types)`. */
const functionKey = (proc: string, ns: string) =>
  `${ns}.nspname || '.' || ${proc}.proname || '(' || oidvectortypes(${proc}.proargtypes) || ')'`;

/** A quoted collation name, qualified unless it lives in pg_catalog. */
const collationName = (collOid: string) =>
  `(select case when cn.nspname = 'pg_catalog' then quote_ident(co.collname) else quote_ident(cn.nspname) || '.' || quote_ident(co.collname) end
      from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace where co.oid = ${collOid})`;

/**
 * A json array of grants to roles other than the owner. `kind` is acldefault's letter, so that a null
 * ACL (the defaults: EXECUTE and USAGE to PUBLIC for functions and types) reads as what it means.
 */
function grants(enabled: boolean, acl: string, owner: string, kind: string): string {
  if (!enabled) return `'[]'::json`;
  return `(select coalesce(json_agg(json_build_object(
      'grantee', case when g.grantee = 0 then 'PUBLIC' else pg_get_userbyid(g.grantee) end,
      'privilege', g.privilege_type, 'grantable', g.is_grantable)
      order by case when g.grantee = 0 then 'PUBLIC' else pg_get_userbyid(g.grantee) end, g.privilege_type), '[]'::json)
    from aclexplode(coalesce(${acl}, acldefault('${kind}', ${owner}))) g where g.grantee <> ${owner})`;
}

function queries(schemaList: string, privileges: boolean) {
  const inSchemas = (ns: string) => `${ns}.nspname in (${schemaList})`;
  return {
    extensions: `
      select e.extname as name, n.nspname as schema, e.extversion as version
      from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      order by e.extname`,
    types: `
      select n.nspname as schema, t.typname as name, t.typtype as kind,
        obj_description(t.oid, 'pg_type') as comment,
        case when t.typtype = 'e' then (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) end as values,
        case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base_type,
        t.typnotnull as not_null,
        pg_get_expr(t.typdefaultbin, 0) as default_expr,
        case when t.typtype = 'd' and t.typcollation <> 0
          and t.typcollation <> (select bt.typcollation from pg_type bt where bt.oid = t.typbasetype)
          then ${collationName('t.typcollation')} end as collation,
        case when t.typtype = 'd' then (select json_agg(json_build_object('name', c.conname, 'definition', pg_get_constraintdef(c.oid), 'valid', c.convalidated) order by c.conname)
          from pg_constraint c where c.contypid = t.oid and c.contype = 'c') end as constraints,
        case when t.typtype = 'c' then (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) order by a.attnum)
          from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) end as attributes,
        case when t.typtype = 'r' then (select format_type(r.rngsubtype, null) || coalesce(' ' || r.rngsubopc::regclass::text, '') from pg_range r where r.rngtypid = t.oid) end as range_subtype,
        ${grants(privileges, 't.typacl', 't.typowner', 'T')} as grants
      from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where ${inSchemas('n')} and ${notInExtension('pg_type', 't.oid')}
        and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c'))
      order by n.nspname, t.typname`,
    sequences: `
      select n.nspname as schema, c.relname as name, format_type(s.seqtypid, null) as type,
        s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
        s.seqcache::text as cache, s.seqcycle as cycle,
        (select json_build_object('schema', tn.nspname, 'table', tc.relname, 'column', a.attname)
          from pg_depend d join pg_class tc on tc.oid = d.refobjid join pg_namespace tn on tn.oid = tc.relnamespace
          join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
          where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass
            and d.deptype = 'a' and d.refobjsubid > 0 limit 1) as owned_by,
        obj_description(c.oid, 'pg_class') as comment,
        ${grants(privileges, 'c.relacl', 'c.relowner', 's')} as grants
      from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
      where ${inSchemas('n')} and ${notInExtension('pg_class', 'c.oid')}
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'i')
      order by n.nspname, c.relname`,
    relations: `
      select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
        c.relpersistence = 'u' as unlogged,
        case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_key,
        case when c.relispartition then (select json_build_object('schema', pn.nspname, 'table', pc.relname, 'bound', pg_get_expr(c.relpartbound, c.oid))
          from pg_inherits i join pg_class pc on pc.oid = i.inhparent join pg_namespace pn on pn.oid = pc.relnamespace where i.inhrelid = c.oid) end as partition_of,
        case when not c.relispartition then (select json_agg(pn.nspname || '.' || pc.relname order by i.inhseqno)
          from pg_inherits i join pg_class pc on pc.oid = i.inhparent join pg_namespace pn on pn.oid = pc.relnamespace where i.inhrelid = c.oid) end as inherits,
        to_json(coalesce(c.reloptions, '{}')) as options,
        c.relrowsecurity as row_security, c.relforcerowsecurity as force_row_security,
        obj_description(c.oid, 'pg_class') as comment,
        case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end as view_definition,
        case when c.relkind = 'f' then (select s.srvname || coalesce(' ' || array_to_string(ft.ftoptions, ','), '')
          from pg_foreign_table ft join pg_foreign_server s on s.oid = ft.ftserver where ft.ftrelid = c.oid) end as foreign_server,
        ${grants(privileges, 'c.relacl', 'c.relowner', 'r')} as grants
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f') and ${inSchemas('n')} and ${notInExtension('pg_class', 'c.oid')}
      order by n.nspname, c.relname`,
    columns: `
      select a.attrelid::text as oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
        a.attnotnull as not_null, a.attidentity::text as identity, a.attgenerated::text as generated,
        pg_get_expr(ad.adbin, ad.adrelid) as expr,
        case when a.attcollation <> 0 and a.attcollation <> t.typcollation then ${collationName('a.attcollation')} end as collation,
        col_description(a.attrelid, a.attnum) as comment, a.attislocal as local,
        (select json_agg(distinct ${functionKey('p', 'pn')})
          from pg_depend d join pg_proc p on p.oid = d.refobjid join pg_namespace pn on pn.oid = p.pronamespace
          where d.classid = 'pg_attrdef'::regclass and d.objid = ad.oid and d.refclassid = 'pg_proc'::regclass) as default_calls,
        (select json_build_object('start', s.seqstart::text, 'increment', s.seqincrement::text, 'min', s.seqmin::text,
            'max', s.seqmax::text, 'cache', s.seqcache::text, 'cycle', s.seqcycle)
          from pg_depend d join pg_sequence s on s.seqrelid = d.objid
          where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjid = a.attrelid
            and d.refobjsubid = a.attnum and d.deptype = 'i' limit 1) as identity_sequence,
        ${privileges ? `to_json(a.attacl::text[])` : 'null'} as column_acl
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        join pg_type t on t.oid = a.atttypid
        left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and ${inSchemas('n')}
        and ${notInExtension('pg_class', 'c.oid')}
      order by a.attrelid, a.attnum`,
    constraints: `
      select con.conrelid::text as oid, con.conname as name, con.contype::text as type,
        pg_get_constraintdef(con.oid) as definition, con.convalidated as valid,
        (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
        case when con.contype = 'f' then json_build_object('schema', fn.nspname, 'table', fc.relname, 'columns',
          (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum)) end as refs,
        ic.relname as index_name,
        obj_description(con.oid, 'pg_constraint') as comment
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
        left join pg_class fc on fc.oid = con.confrelid left join pg_namespace fn on fn.oid = fc.relnamespace
        left join pg_class ic on ic.oid = con.conindid
      where con.contype in ('p', 'u', 'c', 'x', 'f') and c.relkind in ('r', 'p') and ${inSchemas('n')}
        and con.conparentid = 0 and con.conislocal and ${notInExtension('pg_class', 'c.oid')}
      order by con.conrelid, con.conname`,
    indexes: `
      select i.indrelid::text as oid, ic.relname as name, pg_get_indexdef(i.indexrelid) as definition,
        i.indisunique as is_unique, am.amname as method, i.indisvalid as valid,
        (select json_agg(a.attname order by k.ord) from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum where k.attnum > 0) as columns,
        obj_description(i.indexrelid, 'pg_class') as comment
      from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace join pg_am am on am.oid = ic.relam
      where c.relkind in ('r', 'p', 'm') and ${inSchemas('n')} and ${notInExtension('pg_class', 'c.oid')}
        and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x'))
        and not exists (select 1 from pg_inherits inh where inh.inhrelid = i.indexrelid)
      order by i.indrelid, ic.relname`,
    viewDependencies: `
      select distinct v.oid::text as oid,
        coalesce(rn.nspname || '.' || rc.relname, ${functionKey('p', 'pn')}) as ref
      from pg_rewrite r join pg_class v on v.oid = r.ev_class join pg_namespace vn on vn.oid = v.relnamespace
        join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
        left join pg_class rc on d.refclassid = 'pg_class'::regclass and rc.oid = d.refobjid
        left join pg_namespace rn on rn.oid = rc.relnamespace
        left join pg_proc p on d.refclassid = 'pg_proc'::regclass and p.oid = d.refobjid
        left join pg_namespace pn on pn.oid = p.pronamespace
      where v.relkind in ('v', 'm') and ${inSchemas('vn')} and d.refobjid <> v.oid
        and (rc.oid is not null or p.oid is not null)`,
    functions: `
      select n.nspname as schema, p.proname as name, p.prokind::text as kind,
        pg_get_function_identity_arguments(p.oid) as arguments, oidvectortypes(p.proargtypes) as argument_types,
        case when p.prokind = 'f' then pg_get_function_result(p.oid) else '' end as result,
        l.lanname as language,
        case when p.prokind in ('f', 'p') then pg_get_functiondef(p.oid) end as definition,
        case when p.prokind = 'a' then (select ag.aggtransfn::text || ' ' || format_type(ag.aggtranstype, null) || coalesce(' ' || nullif(ag.aggfinalfn::text, '-'), '') || coalesce(' ' || ag.agginitval, '')
          from pg_aggregate ag where ag.aggfnoid = p.oid) end as aggregate,
        obj_description(p.oid, 'pg_proc') as comment,
        (select json_agg(distinct coalesce(rn.nspname || '.' || rc.relname, ${functionKey('rp', 'rpn')}))
          from pg_depend d
            left join pg_type rt on d.refclassid = 'pg_type'::regclass and rt.oid = d.refobjid and rt.typrelid <> 0
            left join pg_class rc on rc.oid = coalesce(rt.typrelid, case when d.refclassid = 'pg_class'::regclass then d.refobjid end)
            left join pg_namespace rn on rn.oid = rc.relnamespace
            left join pg_proc rp on d.refclassid = 'pg_proc'::regclass and rp.oid = d.refobjid
            left join pg_namespace rpn on rpn.oid = rp.pronamespace
          where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'n'
            and (rc.oid is not null or rp.oid is not null)) as depends_on,
        ${grants(privileges, 'p.proacl', 'p.proowner', 'f')} as grants
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
      where ${inSchemas('n')} and ${notInExtension('pg_proc', 'p.oid')}
      order by n.nspname, p.proname, 4`,
    triggers: `
      select n.nspname as schema, c.relname as table_name, t.tgname as name, pg_get_triggerdef(t.oid) as definition,
        t.tgenabled::text as enabled, fn.nspname || '.' || p.proname || '()' as function, t.tgconstraint <> 0 as is_constraint,
        obj_description(t.oid, 'pg_trigger') as comment
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
        join pg_proc p on p.oid = t.tgfoid join pg_namespace fn on fn.oid = p.pronamespace
      where not t.tgisinternal and t.tgparentid = 0 and ${inSchemas('n')} and ${notInExtension('pg_class', 'c.oid')}
      order by n.nspname, c.relname, t.tgname`,
    policies: `
      select pol.polrelid::text as oid, pol.polname as name, pol.polpermissive as permissive,
        case pol.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end as command,
        (select json_agg(x.role order by x.role) from (select case when r = 0 then 'PUBLIC' else pg_get_userbyid(r) end as role from unnest(pol.polroles) r) x) as roles,
        pg_get_expr(pol.polqual, pol.polrelid) as using_expr, pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr,
        obj_description(pol.oid, 'pg_policy') as comment
      from pg_policy pol join pg_class c on c.oid = pol.polrelid join pg_namespace n on n.oid = c.relnamespace
      where ${inSchemas('n')}
      order by pol.polrelid, pol.polname`,
    unmodelled: `
      select 'rule' as kind, n.nspname || '.' || c.relname || '.' || r.rulename as name, pg_get_ruledef(r.oid) as definition
        from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
        where r.rulename <> '_RETURN' and ${inSchemas('n')}
      union all
      select 'statistics', n.nspname || '.' || s.stxname, pg_get_statisticsobjdef(s.oid)
        from pg_statistic_ext s join pg_namespace n on n.oid = s.stxnamespace where ${inSchemas('n')}
      union all
      select 'event trigger', e.evtname, e.evtevent || ' ' || e.evtfoid::regproc::text || coalesce(' ' || array_to_string(e.evttags, ','), '')
        from pg_event_trigger e where ${notInExtension('pg_event_trigger', 'e.oid')}
      union all
      select 'publication', p.pubname, p.puballtables::text || ' ' || p.pubinsert::text || p.pubupdate::text || p.pubdelete::text
        from pg_publication p
      union all
      select 'collation', n.nspname || '.' || co.collname, co.collprovider::text || ' ' || coalesce(co.collcollate, '') || ' ' || coalesce(co.collctype, '')
        from pg_collation co join pg_namespace n on n.oid = co.collnamespace where ${inSchemas('n')} and ${notInExtension('pg_collation', 'co.oid')}
      union all
      select 'operator', n.nspname || '.' || o.oprname || '(' || format_type(o.oprleft, null) || ', ' || format_type(o.oprright, null) || ')', o.oprcode::text
        from pg_operator o join pg_namespace n on n.oid = o.oprnamespace where ${inSchemas('n')} and ${notInExtension('pg_operator', 'o.oid')}
      ${
        privileges
          ? `union all
      select 'default privileges', coalesce(n.nspname, '') || ' ' || pg_get_userbyid(d.defaclrole) || ' ' || d.defaclobjtype::text, d.defaclacl::text
        from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`
          : ''
      }`,
  };
}

/** Reads the schema of the database `run` is connected to. */
export async function introspectPostgres(
  run: SchemaRun,
  options: IntrospectOptions = {},
): Promise<PostgresSchemaModel> {
  const privileges = options.privileges ?? false;
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

  const schemaFilter =
    options.schemas === undefined
      ? `n.nspname not in ${SYSTEM_SCHEMAS} and n.nspname !~ '^pg_(toast_)?temp_' and ${notInExtension('pg_namespace', 'n.oid')}`
      : options.schemas.length === 0
        ? 'false'
        : `n.nspname in (${options.schemas.map(sqlString).join(', ')})`;
  const [versionRows, schemaRows] = await Promise.all([
    query('server version', `select current_setting('server_version_num')::int as version`),
    query(
      'schemas',
      `select n.nspname as name, obj_description(n.oid, 'pg_namespace') as comment,
        ${grants(privileges, 'n.nspacl', 'n.nspowner', 'n')} as grants
       from pg_namespace n where ${schemaFilter} order by n.nspname`,
    ),
  ]);
  const serverVersion = Number(versionRows[0]?.version ?? 0);
  if (serverVersion < 130000)
    throw new SchemaError(
      'SCHEMA_UNSUPPORTED',
      `PostgreSQL ${serverVersion} is older than 13, the oldest this differ reads`,
    );
  const schemas: PgSchema[] = schemaRows.map((r) => ({
    name: text(r.name),
    comment: textOrNull(r.comment),
    grants: grantsOf(r.grants),
  }));
  const schemaList = schemas.length === 0 ? `null` : schemas.map((s) => sqlString(s.name)).join(', ');
  const q = queries(schemaList, privileges);
  const keys = Object.keys(q) as (keyof typeof q)[];
  const results = await Promise.all(keys.map((k) => query(k, q[k])));
  const rows = Object.fromEntries(keys.map((k, i) => [k, results[i] ?? []])) as Record<
    keyof typeof q,
    readonly Row[]
  >;
  const included = new Set(schemas.map((s) => s.name));
  return assemble(serverVersion, privileges, options.schemas ?? null, schemas, rows, included);
}

function grantsOf(value: unknown): PgGrant[] {
  return json<{ grantee: string; privilege: string; grantable: unknown }[]>(value, []).map((g) => ({
    grantee: g.grantee,
    privilege: g.privilege,
    grantable: bool(g.grantable),
  }));
}

const strings = (value: unknown): string[] => json<string[]>(value, []);

function assemble(
  serverVersion: number,
  privileges: boolean,
  schemaFilter: readonly string[] | null,
  schemas: PgSchema[],
  rows: Record<string, readonly Row[]>,
  included: ReadonlySet<string>,
): PostgresSchemaModel {
  const explicitSchemas = schemaFilter !== null;
  const all = (k: string): readonly Row[] => rows[k] ?? [];
  const unmodelled: UnmodelledObject[] = all('unmodelled').map((r) => ({
    kind: text(r.kind),
    name: text(r.name),
    definition: text(r.definition),
  }));

  const extensions: PgExtension[] = all('extensions')
    .map((r) => ({ name: text(r.name), schema: text(r.schema), version: text(r.version) }))
    .filter((e) => !explicitSchemas || included.has(e.schema));

  const enums: PgEnum[] = [];
  const domains: PgDomain[] = [];
  const compositeTypes: PgCompositeType[] = [];
  for (const r of all('types')) {
    const schema = text(r.schema);
    const name = text(r.name);
    const comment = textOrNull(r.comment);
    const kind = text(r.kind);
    if (kind === 'e')
      enums.push({ schema, name, values: strings(r.values), comment, grants: grantsOf(r.grants) });
    else if (kind === 'd')
      domains.push({
        schema,
        name,
        type: text(r.base_type),
        collation: textOrNull(r.collation),
        default: textOrNull(r.default_expr),
        notNull: bool(r.not_null),
        constraints: json<{ name: string; definition: string; valid: unknown }[]>(r.constraints, []).map(
          (c) => ({
            name: c.name,
            definition: stripNotValid(c.definition),
            valid: bool(c.valid),
          }),
        ),
        comment,
        grants: grantsOf(r.grants),
      });
    else if (kind === 'c')
      compositeTypes.push({
        schema,
        name,
        attributes: json<{ name: string; type: string }[]>(r.attributes, []),
        comment,
      });
    else if (kind === 'r')
      unmodelled.push({ kind: 'range type', name: `${schema}.${name}`, definition: text(r.range_subtype) });
  }

  const sequences: PgSequence[] = all('sequences').map((r) => ({
    schema: text(r.schema),
    name: text(r.name),
    type: text(r.type),
    start: text(r.start),
    increment: text(r.increment),
    min: text(r.min),
    max: text(r.max),
    cache: text(r.cache),
    cycle: bool(r.cycle),
    ownedBy: json<PgSequence['ownedBy']>(r.owned_by, null),
    comment: textOrNull(r.comment),
    grants: grantsOf(r.grants),
  }));

  // Columns, constraints, indexes and policies by the oid of their table.
  const byOid = <T>(list: readonly Row[], make: (r: Row) => T): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const r of list) {
      const oid = text(r.oid);
      const bucket = map.get(oid);
      if (bucket) bucket.push(make(r));
      else map.set(oid, [make(r)]);
    }
    return map;
  };
  const columnAcls: { oid: string; column: string; acl: string[] }[] = [];
  const columns = byOid(all('columns'), (r): PgColumn => {
    const identityKind = text(r.identity);
    const generated = text(r.generated);
    const seq = json<Omit<PgIdentity, 'generation'> | null>(r.identity_sequence, null);
    const acl = json<string[] | null>(r.column_acl, null);
    if (acl && acl.length > 0) columnAcls.push({ oid: text(r.oid), column: text(r.name), acl });
    return {
      name: text(r.name),
      type: text(r.type),
      notNull: bool(r.not_null),
      default: identityKind === '' && generated === '' ? textOrNull(r.expr) : null,
      defaultCalls: strings(r.default_calls).sort(),
      identity:
        identityKind === '' || !seq
          ? null
          : { generation: identityKind === 'a' ? 'ALWAYS' : 'BY DEFAULT', ...seq, cycle: bool(seq.cycle) },
      generated: generated === '' ? null : { expression: text(r.expr), stored: generated === 's' },
      collation: textOrNull(r.collation),
      comment: textOrNull(r.comment),
      local: bool(r.local),
    };
  });
  const CONSTRAINT_TYPES: Record<string, PgConstraintType> = {
    p: 'primary',
    u: 'unique',
    c: 'check',
    x: 'exclusion',
    f: 'foreign',
  };
  const constraints = byOid(
    all('constraints'),
    (r): PgConstraint => ({
      name: text(r.name),
      type: CONSTRAINT_TYPES[text(r.type)] ?? 'check',
      definition: stripNotValid(text(r.definition)),
      valid: bool(r.valid),
      columns: strings(r.columns),
      references: json<PgConstraint['references']>(r.refs, null),
      index: textOrNull(r.index_name),
      comment: textOrNull(r.comment),
    }),
  );
  const indexes = byOid(
    all('indexes'),
    (r): PgIndex => ({
      name: text(r.name),
      definition: text(r.definition),
      unique: bool(r.is_unique),
      method: text(r.method),
      valid: bool(r.valid),
      columns: strings(r.columns),
      comment: textOrNull(r.comment),
    }),
  );
  const policies = byOid(
    all('policies'),
    (r): PgPolicy => ({
      name: text(r.name),
      permissive: bool(r.permissive),
      command: text(r.command),
      roles: strings(r.roles),
      using: textOrNull(r.using_expr),
      withCheck: textOrNull(r.check_expr),
      comment: textOrNull(r.comment),
    }),
  );
  const viewDependencies = byOid(all('viewDependencies'), (r) => text(r.ref));

  const tables: PgTable[] = [];
  const views: PgView[] = [];
  const relationNames = new Map<string, string>();
  for (const r of all('relations')) {
    const oid = text(r.oid);
    const schema = text(r.schema);
    const name = text(r.name);
    const kind = text(r.kind);
    relationNames.set(oid, `${schema}.${name}`);
    const comment = textOrNull(r.comment);
    const options = strings(r.options).sort();
    if (kind === 'r' || kind === 'p') {
      tables.push({
        schema,
        name,
        kind: kind === 'p' ? 'partitioned' : 'table',
        unlogged: bool(r.unlogged),
        partitionKey: textOrNull(r.partition_key),
        partitionOf: json<PgTable['partitionOf']>(r.partition_of, null),
        inherits: strings(r.inherits),
        options,
        rowSecurity: bool(r.row_security),
        forceRowSecurity: bool(r.force_row_security),
        columns: columns.get(oid) ?? [],
        constraints: constraints.get(oid) ?? [],
        indexes: indexes.get(oid) ?? [],
        policies: policies.get(oid) ?? [],
        comment,
        grants: grantsOf(r.grants),
      });
    } else if (kind === 'v' || kind === 'm') {
      views.push({
        schema,
        name,
        materialized: kind === 'm',
        definition: text(r.view_definition).trim().replace(/;$/, ''),
        options,
        dependsOn: [...new Set(viewDependencies.get(oid) ?? [])].sort(),
        indexes: indexes.get(oid) ?? [],
        comment,
        grants: grantsOf(r.grants),
      });
    } else if (kind === 'f') {
      unmodelled.push({
        kind: 'foreign table',
        name: `${schema}.${name}`,
        definition: `${text(r.foreign_server)} ${(columns.get(oid) ?? []).map((c) => `${c.name} ${c.type}`).join(', ')}`,
      });
    }
  }
  for (const c of columnAcls)
    unmodelled.push({
      kind: 'column privileges',
      name: `${relationNames.get(c.oid) ?? c.oid}.${c.column}`,
      definition: c.acl
        .map((a) => a.replace(/\/.*$/, ''))
        .sort()
        .join(','),
    });

  const functions: PgFunction[] = [];
  for (const r of all('functions')) {
    const kind = text(r.kind);
    const schema = text(r.schema);
    const name = text(r.name);
    if (kind === 'f' || kind === 'p')
      functions.push({
        schema,
        name,
        kind: kind === 'p' ? 'procedure' : 'function',
        arguments: text(r.arguments),
        argumentTypes: text(r.argument_types),
        result: text(r.result),
        language: text(r.language),
        definition: text(r.definition).trim(),
        dependsOn: strings(r.depends_on).sort(),
        comment: textOrNull(r.comment),
        grants: grantsOf(r.grants),
      });
    else
      unmodelled.push({
        kind: kind === 'w' ? 'window function' : 'aggregate',
        name: `${schema}.${name}(${text(r.arguments)})`,
        definition: text(r.aggregate),
      });
  }

  const triggers: PgTrigger[] = all('triggers').map((r) => ({
    schema: text(r.schema),
    table: text(r.table_name),
    name: text(r.name),
    definition: text(r.definition),
    enabled: (text(r.enabled) || 'O') as PgTrigger['enabled'],
    function: text(r.function),
    constraint: bool(r.is_constraint),
    comment: textOrNull(r.comment),
  }));

  unmodelled.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return {
    dialect: 'postgres',
    serverVersion,
    privileges,
    schemaFilter: schemaFilter === null ? null : [...schemaFilter],
    schemas,
    extensions,
    enums,
    domains,
    compositeTypes,
    sequences,
    tables,
    views,
    functions,
    triggers,
    unmodelled,
  };
}

/** A constraint definition without the `NOT VALID` pg_get_constraintdef appends (validity is a field). */
export function stripNotValid(definition: string): string {
  return definition.replace(/\s+NOT VALID$/, '');
}
