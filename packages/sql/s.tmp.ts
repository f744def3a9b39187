import { analyze, splitStatements } from './src/index.js';
const cases: [string, 'postgres'|'mysql'|'sqlite'][] = [
 ["select 1; -- c;\n select 'a;b' from \"x;y\" where $$q;r$$ = '1'; /* ; */ ;", 'postgres'],
 ["DELETE FROM users", 'postgres'],
 ["with d as (delete from t returning *) select * from d", 'postgres'],
 ["with t as (select * from t) select * from t join s.u on true", 'postgres'],
 ["update t set a=1 where 1=1", 'postgres'],
 ["select * from t where id in (1,2,3) and name = 'x'", 'postgres'],
 ["SELECT * FROM t WHERE id IN (4) AND name='y' -- hi", 'postgres'],
 ["explain analyze delete from t where a=1", 'postgres'],
 ["select nextval('s')", 'postgres'],
 ["delete a from t as a join u on a.id=u.id where u.x=1", 'mysql'],
 ["update t a join u on a.id=u.id set a.x=1", 'mysql'],
 ["set names utf8mb4", 'mysql'],
 ["SELECT * FROM t WHERE id IN (1,2,3) AND name='x'", 'mysql'],
 ["select * from t where id in (9) and name = \"zz\" # c", 'mysql'],
 ["pragma journal_mode=wal", 'sqlite'],
 ["update t set a=1 from u where u.id=t.id", 'sqlite'],
 ["select * from t where a = ?1", 'sqlite'],
 ["create trigger tr after insert on t begin update u set x=1; end; select 1", 'sqlite'],
];
for (const [s, d] of cases) {
  try { console.log(d, JSON.stringify(s), '\n   ', JSON.stringify(await analyze(s, d))); } catch (e) { console.log(d, s, 'ERR', e); }
}
console.log(splitStatements("select 1; -- c;\n select 'a;b'; /* x */", 'postgres'));
for (const [s,d] of [["selec 1", 'postgres'], ["select 1;\nselect * frm t", 'postgres'], ["select 1; foo bar", 'mysql'], ["select 'abc", 'mysql']] as const) {
  try { await analyze(s, d); } catch (e) { console.log((e as Error).message, JSON.stringify(e)); }
}
