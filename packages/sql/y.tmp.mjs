let t=performance.now(); const f = await import('sql-formatter'); console.log('load', performance.now()-t);
console.log(Object.keys(f).slice(0,40).join(' '));
console.log(f.formatDialect("select a,b from t where x in (1,2) -- c\n; insert into t values ($1, 'a;b')", { dialect: f.postgresql, keywordCase: 'upper' }));
try { f.format("select 'abc", {language:'mysql'}) } catch(e) { console.log('ERR', e.message) }
console.log(f.format("select $$a;b$$, [x] from t", {language:'sqlite'}));
