#!/usr/bin/env python3
"""lineage diff on two versions of a dbt project, beside dbt's own
`dbt ls --select state:modified+ --state BASE` on the same pair.

Ours: the corpus manifests (jaffle_shop, and the largest, Flipside ethereum), the
head version being the base with edits applied to compiled SQL (an expression, a
filter, a dropped column, and every model reformatted). Best of --repeats runs of
`lineage diff BASE HEAD --format json`, end to end (process start, both manifests
read and parsed, SQL fingerprinted, compared, blast radius, output).

Peer: dbt needs the project's sources to parse, which only jaffle_shop's manifest
gives back in full (its models' raw code and its tests); the project is rebuilt from
it, parsed by dbt for the base state, edited the same way, and `dbt ls --select
state:modified+ --state base` is timed (best of --repeats). Without a dbt on PATH (or
--dbt), the peer is skipped.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

def edit_manifest(src_dir, out_dir, edits, reformat):
    m = json.load(open(os.path.join(src_dir, "manifest.json")))
    for uid, old, new in edits:
        n = m["nodes"][uid]
        key = "compiled_code" if "compiled_code" in n else "compiled_sql"
        assert old in n[key], (uid, old)
        n[key] = n[key].replace(old, new)
    if reformat:
        for n in m["nodes"].values():
            for key in ("compiled_code", "compiled_sql"):
                if n.get(key):
                    n[key] = "-- reformatted\n" + n[key].replace("\n", "\n    ")
    os.makedirs(out_dir, exist_ok=True)
    json.dump(m, open(os.path.join(out_dir, "manifest.json"), "w"))
    cat = os.path.join(src_dir, "catalog.json")
    if os.path.exists(cat):
        shutil.copy(cat, os.path.join(out_dir, "catalog.json"))

def best(cmd, repeats, cwd=None, env=None):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if r.returncode not in (0, 1):
            raise SystemExit(f"{cmd[0]} failed ({r.returncode}): {r.stderr[-2000:]}")
        out = r.stdout
    return min(times), out

def rebuild_jaffle(manifest, root):
    """jaffle_shop's project from its manifest: dbt_project.yml, the models' raw code,
    schema files with the columns and generic tests, empty seeds."""
    m = json.load(open(manifest))
    os.makedirs(root, exist_ok=True)
    open(os.path.join(root, "dbt_project.yml"), "w").write(
        "name: jaffle_shop\nversion: '1.0'\nconfig-version: 2\nprofile: jaffle_shop\n"
        "model-paths: [models]\nseed-paths: [seeds]\n"
        "models:\n  jaffle_shop:\n    materialized: table\n    staging:\n      materialized: view\n")
    open(os.path.join(root, "profiles.yml"), "w").write(
        "jaffle_shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: jaffle_shop.duckdb\n")
    schema = {}
    for uid, n in m["nodes"].items():
        if n["resource_type"] == "model":
            p = os.path.join(root, n["original_file_path"])
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, "w").write(n["raw_code"])
            yml = n["patch_path"].split("://", 1)[1]
            cols = {c: {"name": c, "tests": []} for c in n.get("columns", {})}
            schema.setdefault(yml, {})[n["name"]] = cols
        elif n["resource_type"] == "seed":
            p = os.path.join(root, n["original_file_path"])
            os.makedirs(os.path.dirname(p), exist_ok=True)
            open(p, "w").write("id\n")
    for uid, n in m["nodes"].items():
        if n["resource_type"] != "test" or not n.get("test_metadata"):
            continue
        tm = n["test_metadata"]
        model = n["attached_node"].split(".")[-1] if n.get("attached_node") else None
        col = n.get("column_name")
        yml = n["original_file_path"]
        if model is None or col is None or model not in schema.get(yml, {}):
            continue
        kw = {k: v for k, v in tm.get("kwargs", {}).items() if k not in ("column_name", "model")}
        if "to" in kw:
            kw["to"] = kw["to"].replace("{{ get_where_subquery(", "").replace(") }}", "")
        entry = {tm["name"]: kw} if kw else tm["name"]
        schema[yml][model].setdefault(col, {"name": col, "tests": []})["tests"].append(entry)
    for yml, models in schema.items():
        doc = {"version": 2, "models": [{"name": k, "columns": list(v.values())} for k, v in sorted(models.items())]}
        json.dump(doc, open(os.path.join(root, yml), "w"), indent=1)  # JSON is YAML

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--lineage", required=True)
    ap.add_argument("--dbt", default=shutil.which("dbt"))
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lineage-diff-bench-")
    rows = []
    cases = [
        ("jaffle_shop", "dbt_jaffle_shop_classic/target", [
            ("model.jaffle_shop.stg_payments", "amount / 100 as amount", "amount / 1000 as amount"),
            ("model.jaffle_shop.orders", "orders.status,", ""),
            ("model.jaffle_shop.stg_orders", "    from source\n", "    from source\n    where status <> 'returned'\n"),
        ]),
        ("flipside ethereum", "dbt_flipside_ethereum_models_2022/docs", []),
        ("flipside crosschain", "dbt_flipside_crosschain_models_2022/docs", []),
    ]
    for name, folder, edits in cases:
        src = os.path.join(a.corpus, folder)
        if not os.path.exists(src):
            continue
        base = os.path.join(work, name.replace(" ", "_"), "base")
        head = os.path.join(work, name.replace(" ", "_"), "head")
        edit_manifest(src, base, [], False)
        edit_manifest(src, head, edits, True)
        t, out = best([a.lineage, "diff", base + "/manifest.json", head + "/manifest.json", "--format", "json"], a.repeats)
        d = json.loads(out)
        size = os.path.getsize(src + "/manifest.json")
        rows.append({"project": name, "tool": "lineage diff", "seconds": round(t, 4), "manifest_bytes": size,
                     "changes": d["summary"]["changes"], "breaking": d["summary"]["breaking"]})
        if name == "jaffle_shop" and a.dbt:
            proj = os.path.join(work, "jaffle_project")
            rebuild_jaffle(src + "/manifest.json", proj)
            env = dict(os.environ, DBT_PROFILES_DIR=proj, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
            subprocess.run([a.dbt, "parse", "--quiet"], cwd=proj, env=env, check=True, capture_output=True)
            shutil.copytree(os.path.join(proj, "target"), os.path.join(work, "dbt_state"))
            for uid, old, new in edits:
                n = json.load(open(src + "/manifest.json"))["nodes"][uid]
                p = os.path.join(proj, n["original_file_path"])
                raw = open(p).read()
                if old in raw:
                    open(p, "w").write(raw.replace(old, new))
            t, out = best([a.dbt, "ls", "--select", "state:modified+", "--state", os.path.join(work, "dbt_state"),
                           "--resource-type", "model", "--quiet"], a.repeats, cwd=proj, env=env)
            rows.append({"project": name, "tool": "dbt ls --select state:modified+", "seconds": round(t, 4),
                         "selected": len([l for l in out.splitlines() if l.strip()])})
    for r in rows:
        print(json.dumps(r))
    shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
