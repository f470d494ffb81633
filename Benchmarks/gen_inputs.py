#!/usr/bin/env python3
"""Deterministic large importer inputs for `make bench`: a dbt manifest (schema v12)
and an OpenLineage NDJSON event file of about the requested size.

    python3 Benchmarks/gen_inputs.py --out-dir /tmp/lineage-bench-inputs --mb 100

Writes manifest-<MB>mb.json (models in layers with refs, a test per model, compiled
SQL and documented columns, as real manifests have) and events-<MB>mb.ndjson
(START and COMPLETE events per run, schema and columnLineage facets). Prints the
node and edge counts that lineage-bench checks.
"""
import argparse, json, os, random

def manifest(target_bytes, rnd):
    nodes, parent = {}, {}
    models = []
    sql = "select\n" + ",\n".join(f"    col_{i} as column_{i}" for i in range(40)) + "\nfrom {{ ref('x') }}\n"
    i = 0
    size = 0
    while size < target_bytes:
        name = f"model_{i}"
        uid = f"model.bench.{name}"
        deps = []
        if models:
            for _ in range(rnd.randint(1, 4)):
                d = models[rnd.randrange(len(models))]
                if d not in deps:
                    deps.append(d)
        cols = {f"column_{c}": {"name": f"column_{c}", "description": f"Column {c} of {name}", "meta": {}, "data_type": "varchar", "tags": []} for c in range(12)}
        node = {
            "resource_type": "model", "name": name, "package_name": "bench", "unique_id": uid,
            "fqn": ["bench", f"layer_{i % 5}", name], "path": f"layer_{i % 5}/{name}.sql",
            "original_file_path": f"models/layer_{i % 5}/{name}.sql", "patch_path": "bench://models/schema.yml",
            "tags": [f"layer_{i % 5}"], "description": f"Model {i}", "columns": cols,
            "config": {"enabled": True, "materialized": "table", "meta": {"owner": f"team-{i % 17}", "domain": f"domain-{i % 11}"}},
            "depends_on": {"macros": [], "nodes": deps}, "raw_code": sql, "compiled_code": sql.replace("{{ ref('x') }}", "db.schema.x"),
            "database": "db", "schema": "analytics", "alias": name, "access": "protected",
        }
        nodes[uid] = node
        models.append(uid)
        test = f"test.bench.not_null_{name}_column_0.{i:010x}"
        nodes[test] = {"resource_type": "test", "name": f"not_null_{name}_column_0", "package_name": "bench", "unique_id": test,
                       "fqn": ["bench", f"layer_{i % 5}", f"not_null_{name}_column_0"], "original_file_path": "models/schema.yml",
                       "tags": [], "description": "", "columns": {}, "config": {"enabled": True}, "depends_on": {"macros": [], "nodes": [uid]},
                       "raw_code": "{{ test_not_null(**_dbt_generic_test_kwargs) }}"}
        size += len(json.dumps(node)) + 400
        i += 1
    edges = sum(len(n["depends_on"]["nodes"]) for n in nodes.values())
    doc = {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "dbt_version": "1.10.0",
                        "project_name": "bench"},
           "nodes": nodes, "sources": {}, "macros": {}, "docs": {}, "exposures": {}, "metrics": {}, "groups": {},
           "selectors": {}, "disabled": {}, "parent_map": {}, "child_map": {}, "group_map": {}, "saved_queries": {},
           "semantic_models": {}, "unit_tests": {}}
    return doc, len(nodes), edges

def events(target_bytes, rnd, out):
    size, runs, datasets = 0, 0, set()
    edges = set()
    while size < target_bytes:
        job = f"job_{runs}"
        ins = [f"table_{rnd.randrange(max(1, runs))}" for _ in range(rnd.randint(1, 3))] if runs else []
        outp = f"table_{runs}"
        fields = [{"name": f"c{c}", "type": "string"} for c in range(20)]
        lineage = {"fields": {f"c{c}": {"inputFields": [{"namespace": "bench", "name": i, "field": f"c{c}",
                    "transformations": [{"type": "DIRECT", "subtype": "IDENTITY"}]} for i in ins]} for c in range(20)}} if ins else None
        facets = {"schema": {"fields": fields}}
        if lineage:
            facets["columnLineage"] = lineage
        base = {"producer": "gen", "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                "run": {"runId": f"run-{runs}"}, "job": {"namespace": "bench", "name": job}}
        start = dict(base, eventType="START", eventTime="2024-01-01T00:00:00Z",
                     inputs=[{"namespace": "bench", "name": i} for i in ins],
                     outputs=[{"namespace": "bench", "name": outp, "facets": facets}])
        done = dict(base, eventType="COMPLETE", eventTime="2024-01-01T00:05:00Z")
        for e in (start, done):
            line = json.dumps(e) + "\n"
            out.write(line)
            size += len(line)
        datasets.add(outp)
        datasets.update(ins)
        for i in ins:
            if i != outp:
                edges.add((i, outp))
        runs += 1
    return len(datasets), len(edges)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--mb", type=int, default=100)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    rnd = random.Random(7)
    doc, n, e = manifest(a.mb << 20, rnd)
    path = os.path.join(a.out_dir, f"manifest-{a.mb}mb.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    print(json.dumps({"file": path, "nodes": n, "edges": e, "bytes": os.path.getsize(path)}))
    path = os.path.join(a.out_dir, f"events-{a.mb}mb.ndjson")
    with open(path, "w") as f:
        n, e = events(a.mb << 20, random.Random(8), f)
    print(json.dumps({"file": path, "nodes": n, "edges": e, "bytes": os.path.getsize(path)}))

main()
