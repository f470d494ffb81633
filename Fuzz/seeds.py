#!/usr/bin/env python3
"""Writes the fuzz seed corpus: each file is one target byte and an input.
Targets: 0 mesh spec, 1 selector, 2 graph JSON, 3 dbt nodes, 4 OpenLineage, 5 ODCS/ODPS.

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
print(f"{len(os.listdir(out))} seeds in {out}")
