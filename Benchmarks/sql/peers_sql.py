#!/usr/bin/env python3
"""Column lineage of the corpus's compiled dbt SQL with the peers, timed like ours.

    python Benchmarks/sql/peers_sql.py --corpus ../shared/corpus \
        --ours out/bench-sql.jsonl --dump-dir out/sql-lineage

Reads the same models as `lineage-bench sql` (every model and snapshot of the three
dbt manifests, compiled SQL) and derives their column lineage with

* sqlglot: `sqlglot.lineage.lineage(None, sql, schema=..., trim_selects=False)`, the
  catalog.json beside the manifest as a prebuilt `MappingSchema` (built once, untimed);
  parse, qualify and the lineage walk of every output column are timed;
* openlineage-sql: `openlineage_sql.parse([sql], dialect=...)` (it takes no schema).

Each peer's time is the median of `--repeats` passes over a manifest's models, in ms
per model. With `--ours` (lineage-bench sql's JSON lines) it prints the table of
ratios (peer time over ours: above 1 means we are faster) and the targets of the issue.
With `--dump-dir` it writes sqlglot.json and openlineage-sql.json in the shape of
`lineage-bench sql --dump` for Benchmarks/sql/crosscheck_sql.py.
"""
import argparse
import json
import os
import statistics
import sys
import time

import openlineage_sql
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage as sqlglot_lineage
from sqlglot.schema import MappingSchema

PROJECTS = [
    ("dbt_jaffle_shop_classic", "target/manifest.json"),
    ("dbt_flipside_ethereum_models_2022", "docs/manifest.json"),
    ("dbt_flipside_crosschain_models_2022", "docs/manifest.json"),
]
# dbt adapter -> sqlglot dialect and openlineage-sql dialect.
DIALECTS = {"duckdb": ("duckdb", "duckdb"), "snowflake": ("snowflake", "snowflake")}


def load_project(corpus, folder, manifest_rel):
    path = os.path.join(corpus, folder, manifest_rel)
    if not os.path.exists(path):
        return None
    manifest = json.load(open(path))
    adapter = manifest.get("metadata", {}).get("adapter_type", "generic")
    models = []
    for uid, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") not in ("model", "snapshot"):
            continue
        sql = node.get("compiled_code") or node.get("compiled_sql") or ""
        models.append((uid, sql))
    models.sort()
    catalog_path = os.path.join(os.path.dirname(path), "catalog.json")
    tables = []  # (database, schema, name, [columns in index order], {column: type})
    if os.path.exists(catalog_path):
        catalog = json.load(open(catalog_path))
        for section in ("nodes", "sources"):
            for _, entry in sorted(catalog.get(section, {}).items()):
                meta = entry.get("metadata", {})
                cols = sorted(entry.get("columns", {}).values(), key=lambda c: c.get("index", 0))
                tables.append((meta.get("database"), meta.get("schema"), meta.get("name"),
                               [c["name"] for c in cols], {c["name"]: c.get("type") or "UNKNOWN" for c in cols}))
    return {"folder": folder, "adapter": adapter, "models": models, "tables": tables}


def sqlglot_schema(tables, dialect):
    """A MappingSchema of the catalog, built once. Types sqlglot cannot read become UNKNOWN."""
    mapping = {}
    for db, sch, name, cols, types in tables:
        t = {}
        for c in cols:
            ty = types.get(c) or "UNKNOWN"
            try:
                exp.DataType.build(ty, dialect=dialect)
            except Exception:
                ty = "UNKNOWN"
            t[c] = ty
        mapping.setdefault(db, {}).setdefault(sch, {})[name] = t
    # The catalog's names are stored names (upper case in Snowflake): quote them so that
    # sqlglot does not fold them again.
    return MappingSchema(mapping, dialect=dialect, normalize=False)


def path_transform(chain):
    """identity, transformation or aggregation for one root-to-leaf path of sqlglot nodes."""
    kind = "identity"
    for node in chain:
        e = node.expression
        if isinstance(e, exp.Table):
            continue
        inner = e.this if isinstance(e, exp.Alias) else e
        if isinstance(inner, exp.Column):
            continue
        if inner.find(exp.AggFunc) is not None:
            return "aggregation"
        kind = "transformation"
    return kind


def sqlglot_columns(sql, dialect, schema):
    """Output columns in order: name, direct sources, sources with the transform of each path."""
    result = sqlglot_lineage(None, sql, schema=schema, dialect=dialect, trim_selects=False)
    out = []
    for name, root in result.items():
        direct, transforms = set(), set()
        stack = [(root, [root])]
        while stack:
            node, chain = stack.pop()
            if not node.downstream:
                if isinstance(node.expression, exp.Table):
                    t = node.expression
                    parts = [p for p in (t.catalog, t.db, t.name) if p]
                    col = node.name.split(".")[-1]
                    key = ".".join(parts + [col])
                    direct.add(key)
                    transforms.add(key + ":" + path_transform(chain))
                continue
            for d in node.downstream:
                stack.append((d, chain + [d]))
        out.append({"name": name, "direct": sorted(direct), "transforms": sorted(transforms), "star": False})
    return out


def sqlglot_timed(sql, dialect, schema):
    return sqlglot_lineage(None, sql, schema=schema, dialect=dialect, trim_selects=False)


def ol_columns(result):
    cols = {}
    order = []
    for cl in result.column_lineage:
        name = cl.descendant.name
        if name not in cols:
            cols[name] = set()
            order.append(name)
        for src in cl.lineage:
            o = src.origin
            parts = [p for p in (getattr(o, "database", None), getattr(o, "schema", None), getattr(o, "name", None)) if p] if o else []
            cols[name].add(".".join(parts + [src.name]))
    return [{"name": n, "direct": sorted(cols[n]), "transforms": [], "star": False} for n in order]


def time_pass(models, fn, repeats):
    """Median seconds of `repeats` passes over all models (a failing model counts its time)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _, sql in models:
            try:
                fn(sql)
            except Exception:
                pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ours", help="lineage-bench sql's JSON lines, for the table of ratios")
    ap.add_argument("--dump-dir", help="write sqlglot.json and openlineage-sql.json here")
    ap.add_argument("--out", help="write the peers' results as JSON here")
    ap.add_argument("--table", help="also write the table (Markdown) here")
    a = ap.parse_args()

    results = []
    dumps = {"sqlglot": [], "openlineage-sql": []}
    for folder, rel in PROJECTS:
        p = load_project(a.corpus, folder, rel)
        if p is None:
            print(f"skipped: {folder} is absent", file=sys.stderr)
            continue
        gdialect, odialect = DIALECTS.get(p["adapter"], (p["adapter"], p["adapter"]))
        schema = sqlglot_schema(p["tables"], gdialect)
        models = p["models"]

        # Answers (untimed pass): errors counted, lineage dumped.
        errors = {"sqlglot": [], "openlineage-sql": []}
        for uid, sql in models:
            try:
                cols = sqlglot_columns(sql, gdialect, schema)
                err = None
            except Exception as e:  # noqa: BLE001 - a peer's failure is a result
                cols, err = [], f"{type(e).__name__}: {str(e)[:200]}"
                errors["sqlglot"].append((uid, err))
            dumps["sqlglot"].append({"project": folder, "model": uid, "dialect": gdialect, "columns": cols,
                                     "parse_errors": [err] if err else []})
            try:
                r = openlineage_sql.parse([sql], dialect=odialect)
                cols = ol_columns(r)
                err = [str(e) for e in (r.errors or [])]
            except Exception as e:  # noqa: BLE001
                cols, err = [], [f"{type(e).__name__}: {str(e)[:200]}"]
            if err:
                errors["openlineage-sql"].append((uid, err[0][:200]))
            dumps["openlineage-sql"].append({"project": folder, "model": uid, "dialect": odialect, "columns": cols,
                                             "parse_errors": err})

        for lib, fn in (("sqlglot", lambda s: sqlglot_timed(s, gdialect, schema)),
                        ("openlineage-sql", lambda s: openlineage_sql.parse([s], dialect=odialect))):
            secs = time_pass(models, fn, a.repeats)
            with_cols = sum(1 for d in dumps[lib] if d["project"] == folder and d["columns"])
            r = {"lib": lib, "version": sqlglot.__version__ if lib == "sqlglot" else version("openlineage-sql"),
                 "project": folder, "models": len(models), "median_s": secs,
                 "ms_per_model": secs * 1e3 / max(1, len(models)), "errors": len(errors[lib]),
                 "models_with_columns": with_cols, "error_examples": errors[lib][:5]}
            results.append(r)
            print(f"{lib:16} {folder:38} {r['ms_per_model']:9.3f} ms/model  {len(errors[lib])} errors, "
                  f"{with_cols}/{len(models)} models with columns", file=sys.stderr)

    if a.out:
        json.dump({"results": results}, open(a.out, "w"), indent=1)
    if a.dump_dir:
        os.makedirs(a.dump_dir, exist_ok=True)
        for lib, models in dumps.items():
            json.dump({"tool": lib, "models": models}, open(os.path.join(a.dump_dir, lib + ".json"), "w"), sort_keys=True)
    if a.ours:
        table = compare(a.ours, results)
        print(table)
        if a.table:
            open(a.table, "w").write(table + "\n")


def version(dist):
    try:
        from importlib.metadata import version as v
        return v(dist)
    except Exception:  # noqa: BLE001
        return "?"


def compare(ours_path, results):
    ours = {}
    for line in open(ours_path):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            if r.get("project"):
                ours[r["project"]] = r
    lines = ["| manifest | models | ours ms/model | check | sqlglot ms/model | ratio | openlineage-sql ms/model | ratio | targets |",
             "|---|---|---|---|---|---|---|---|---|"]
    missed = []
    for folder, _ in PROJECTS:
        o = ours.get(folder)
        peers = {r["lib"]: r for r in results if r["project"] == folder}
        if not o and not peers:
            continue
        oms = float(o["ms_per_model"]) if o else None
        cells = []
        marks = []
        for lib in ("sqlglot", "openlineage-sql"):
            r = peers.get(lib)
            if not r:
                cells += ["-", "-"]
                continue
            ratio = r["ms_per_model"] / oms if oms else None
            cells += [f"{r['ms_per_model']:.3f} ({r['errors']} err)", f"{ratio:.1f}x" if ratio else "-"]
            if lib == "sqlglot" and ratio is not None:
                marks.append("≥50x vs sqlglot " + ("met" if ratio >= 50 else "MISSED"))
                if ratio < 50:
                    missed.append(f"{folder} vs sqlglot")
            if lib == "openlineage-sql" and ratio is not None:
                marks.append(">1x vs openlineage-sql " + ("met" if ratio > 1 else "MISSED"))
                if ratio <= 1:
                    missed.append(f"{folder} vs openlineage-sql")
        if oms is not None:
            marks.insert(0, "<0.5 ms " + ("met" if oms < 0.5 else "MISSED"))
            if oms >= 0.5:
                missed.append(f"{folder} 0.5 ms")
        n = o["size"] if o else peers[next(iter(peers))]["models"]
        check = ("ok" if o["ok"] else "WRONG") + f" {o.get('parse_errors', '?')} parse errors" if o else "-"
        lines.append(f"| {folder} | {n} | {f'{oms:.4f}' if oms is not None else '-'} | {check} | "
                     + " | ".join(cells) + " | " + ", ".join(marks) + " |")
    if missed:
        lines.append("\nTargets missed in this run: " + ", ".join(missed))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
