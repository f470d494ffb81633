#!/usr/bin/env python3
"""Writes the fuzz seed corpus: each file is one target byte and an input.
Targets: 0 mesh spec, 1 selector, 2 graph JSON, 3 dbt nodes, 4 OpenLineage, 5 ODCS/ODPS,
6 SQL (the next byte picks the dialect).

    python3 Fuzz/seeds.py OUT_DIR
"""
import glob, os, sys

out = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpus = os.path.join(root, "Tests/LineageLoadersTests/Corpus")
os.makedirs(out, exist_ok=True)

def put(name, target, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([target]) + data)

for i, f in enumerate(sorted(glob.glob(root + "/samples/**/*.yaml", recursive=True))):
    put(f"mesh{i}", 0, open(f, "rb").read())
for i, sel in enumerate(["+sales.orders+", "@a", "tag:pii,domain:sales", "2+model.p.orders+1", "sales.*",
                         "fqn:x.*", "source:raw.orders+", "path:models/x", "1+a+2 crm.customers"]):
    put(f"sel{i}", 1, sel.encode())
put("graph0", 2, b'{"nodes":[{"id":"a","domain":"x","layer":"src"},{"id":"b","tags":["t"]}],"edges":[["a","b"],["b","a"],{"source":"a","target":"c"}]}')
put("dbt0", 3, b'{"model.p.a": {"resource_type": "model", "name": "a", "fqn": ["p","a"], "depends_on": {"nodes": ["model.p.b"]}, "columns": {"c": {"name": "c", "data_type": "int"}}}, "model.p.b": {"resource_type": "model", "name": "b", "deprecation_date": "2025-01-01"}}')
for i, f in enumerate(sorted(glob.glob(corpus + "/marquez/api_test_resources/open_lineage/*.json"))):
    put(f"ol{i}", 4, open(f, "rb").read())
put("ol_seed", 4, open(corpus + "/marquez/seed/column-lineage.json", "rb").read())
for i, f in enumerate(sorted(glob.glob(corpus + "/odcs_bitol/repo_files/docs/examples/*/*.yaml"))):
    data = open(f, "rb").read()
    if len(data) < 20000:
        put(f"odcs{i}", 5, data)
for i, f in enumerate(sorted(glob.glob(corpus + "/odps_bitol/repo_files/docs/examples/*.yaml"))):
    put(f"odps{i}", 5, open(f, "rb").read())
# SQL: the samples' .sql files and statements of every shape the parser reads, each
# in every dialect.
sql = [open(f, "rb").read() for f in sorted(glob.glob(root + "/samples/**/*.sql", recursive=True))]
sql += [s.encode() for s in [
    "with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select * from r",
    "select a, b::int, c:x.y[0]::string, d->>'k' from db.s.t t join db.s.u using (a) qualify row_number() over (partition by a order by b) = 1",
    "merge into db.s.t t using db.s.u u on t.a = u.a when matched then update set b = u.d when not matched then insert (a) values (u.a)",
    "insert into db.s.t (a, b) select a, sum(d) filter (where d > 0) from db.s.u group by rollup (a)",
    "select * exclude (b) replace (c + 1 as c) from db.s.t pivot (sum(c) for b in ('x', 'y'))",
    "select f.value:id from db.s.t, lateral flatten(input => t.c) f union all by name select 1",
    "create or replace temporary view v as select `a`.`b` from `p`.`d`.`t` as a where x in (select a from db.s.u)",
    "select * from db.s.t pivot (sum(c) as s, max(d) as m for (a, b) in ((1, 'x') as p, (2, 'y')) default on null (0)) as p (q, r)",
    "select * from db.s.t unpivot include nulls ((v, w) for k in ((a, b) as x, (c, d) as 'y')) u",
    "pivot db.s.t on a in (1, 2), b using sum(c) as total group by d; unpivot (pivot db.s.u on x) on y, z into name n value v",
    "select * from db.s.t pivot (sum(c) for b in (any order by b)) p join db.s.u pivot (max(d) for e in (select e from db.s.v)) q using (a)",
]]
for i, s in enumerate(sql):
    for d in range(8):
        put(f"sql{i}_{d}", 6, bytes([d]) + s)
print(f"{len(os.listdir(out))} seeds in {out}")
