#!/usr/bin/env python3
"""Cross-check of column lineage: ours against sqlglot and openlineage-sql.

    python3 Benchmarks/sql/crosscheck_sql.py --corpus ../shared/corpus \
        --dumps out/sql-lineage --out out/sql-crosscheck.json > out/sql-crosscheck.md

`--dumps` holds ours.json (`lineage-bench sql --dump`), sqlglot.json and
openlineage-sql.json (`peers_sql.py --dump-dir`), all in one shape: per model, per
output column, `direct` (sources as `db.schema.table.column`) and, for ours and
sqlglot, `transforms` (`source:transform`).

Columns are matched by output name, case-insensitively. Sources are compared
case-insensitively on `schema.table.column` (the database part is dropped, as the
tools qualify differently); a case-only difference is counted apart. Two views of
ours are compared: `direct` (identity, transformation, aggregation) and `column`
(direct plus the column's own indirect sources: CASE conditions and window
PARTITION/ORDER BY), since the peers do not separate the two.

For each disagreeing column it lists what only one side names and whether that
column exists in the project's catalog.json (nodes and sources), and a first guess at
the class of the disagreement; the classes in docs/sql-crosscheck.md were settled by
reading the SQL.
"""
import argparse
import collections
import json
import os
import re

PROJECTS = {
    "dbt_jaffle_shop_classic": "target/catalog.json",
    "dbt_flipside_ethereum_models_2022": "docs/catalog.json",
    "dbt_flipside_crosschain_models_2022": "docs/catalog.json",
}
TOOLS = ["ours", "sqlglot", "openlineage-sql"]


def key(source):
    parts = source.lower().replace('"', "").split(".")
    return ".".join(parts[-3:]) if len(parts) >= 3 else ".".join(parts)


def catalog_columns(corpus):
    cols, tables = {}, {}
    for folder, rel in PROJECTS.items():
        path = os.path.join(corpus, folder, rel)
        c, t = set(), set()
        if os.path.exists(path):
            cat = json.load(open(path))
            for section in ("nodes", "sources"):
                for entry in cat.get(section, {}).values():
                    m = entry.get("metadata", {})
                    tn = f"{m.get('schema', '')}.{m.get('name', '')}".lower()
                    t.add(tn)
                    for col in entry.get("columns", {}).values():
                        c.add(f"{tn}.{col['name'].lower()}")
        cols[folder], tables[folder] = c, t
    return cols, tables


def load(path):
    data = json.load(open(path))
    out = {}
    for m in data["models"]:
        cols = collections.OrderedDict()
        for c in m["columns"]:
            name = c["name"].lower()
            if name in cols:
                continue
            direct = set(c["direct"])
            column_level = set(direct)
            for t in c.get("transforms", []):
                bits = t.split(":")
                if bits[-1] == "masked":
                    bits.pop()
                src, tr = ":".join(bits[:-1]), bits[-1]
                if tr in ("conditional", "window"):
                    column_level.add(src)
            per_source = collections.defaultdict(set)
            for t in c.get("transforms", []):
                bits = t.split(":")
                if bits[-1] == "masked":
                    bits.pop()
                if bits[-1] in ("identity", "transformation", "aggregation"):
                    per_source[key(":".join(bits[:-1]))].add(bits[-1])
            cols[name] = {"raw": sorted(direct), "direct": {key(s) for s in direct}, "per_source": per_source,
                          "column": {key(s) for s in column_level}, "star": c.get("star", False),
                          "transforms": c.get("transforms", [])}
        out[(m["project"], m["model"])] = {"columns": cols, "errors": m.get("parse_errors", [])}
    return out


def sql_names(corpus):
    """Per model: the CTE names and the table aliases written in its SQL (lower case)."""
    names = {}
    for folder, rel in PROJECTS.items():
        path = os.path.join(corpus, folder, rel.replace("catalog.json", "manifest.json"))
        if not os.path.exists(path):
            continue
        for uid, node in json.load(open(path)).get("nodes", {}).items():
            sql = (node.get("compiled_code") or node.get("compiled_sql") or "").lower()
            ctes = set(re.findall(r"(?:\bwith|,)\s*([a-z_][a-z0-9_]*)\s+as\s*\(", sql))
            aliases = set(re.findall(r"\)\s*(?:as\s+)?([a-z_][a-z0-9_]*)", sql))
            aliases |= set(re.findall(r"\b(?:from|join)\s+[a-z0-9_.\"]+\s+(?:as\s+)?([a-z_][a-z0-9_]*)", sql))
            names[(folder, uid)] = (ctes, aliases, sql)
    return names


FLATTEN_COLUMNS = {"value", "key", "this", "index", "seq", "path"}
DATE_PARTS = {"year", "quarter", "month", "week", "day", "hour", "minute", "second", "date", "epoch"}


def guess(a_only, b_only, a_name, b_name, exists, tables, ours_cond, names):
    """A first guess at why two tools disagree on a column (the SQL decides; see docs/sql-crosscheck.md)."""
    ctes, aliases, sql = names
    every = a_only | b_only

    def table(s):
        return ".".join(s.split(".")[:-1])

    def col(s):
        return s.split(".")[-1]

    if any(col(s) == "*" for s in every):
        return "unexpanded star"
    if any(col(s).startswith("metadata$") for s in every):
        return "Snowflake METADATA$ pseudo-column"
    if b_only and not a_only and b_only <= ours_cond and a_name == "ours":
        return "CASE condition / window counted as lineage"
    if a_only and not b_only and a_only <= ours_cond and b_name == "ours":
        return "CASE condition / window counted as lineage"
    for side, extra in ((a_name, a_only), (b_name, b_only)):
        if extra and all("." not in s for s in extra):
            return f"{side} names a column without its table"
    for side, extra in ((a_name, a_only), (b_name, b_only)):
        # A real table has a schema; a CTE or an alias left as the "table" has one part.
        if any("." not in table(s) and table(s) in ctes | aliases for s in extra):
            if any(col(s) in FLATTEN_COLUMNS for s in extra) and "flatten" in sql:
                return f"{side} stops at a FLATTEN / lateral alias"
            return f"{side} stops at a CTE or alias"
    if any(col(s) in DATE_PARTS for s in every):
        return "date-part name used as a column (hour, day, ...)"
    if " except " in sql or "\nexcept" in sql or " minus " in sql:
        return "set operation (EXCEPT)"
    unknown = [s for s in every if table(s) not in tables]
    if unknown and len(unknown) == len(every):
        return "table not in catalog"
    if not a_only or not b_only:
        side = b_name if not a_only else a_name
        return f"only {side} names these sources"
    missing = [s for s in every if s not in exists]
    if missing:
        return "a side names a column not in the catalog"
    return "different sources"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--dumps", default="out/sql-lineage")
    ap.add_argument("--out", help="every disagreement as JSON")
    a = ap.parse_args()
    exists, tables = catalog_columns(a.corpus)
    names = sql_names(a.corpus)
    dumps = {t: load(os.path.join(a.dumps, t + ".json")) for t in TOOLS if os.path.exists(os.path.join(a.dumps, t + ".json"))}

    pairs = [("ours", "sqlglot", "direct"), ("ours", "sqlglot", "column"), ("ours", "openlineage-sql", "direct"),
             ("ours", "openlineage-sql", "column"), ("sqlglot", "openlineage-sql", "direct")]
    print("| pair | view | models | columns in both | agree | rate | only in first | only in second | case-only differences |")
    print("|---|---|---|---|---|---|---|---|---|")
    disagreements = []
    for x, y, view in pairs:
        if x not in dumps or y not in dumps:
            continue
        both = agree = only_x = only_y = case_only = 0
        models = 0
        for mk in sorted(set(dumps[x]) & set(dumps[y])):
            cx, cy = dumps[x][mk]["columns"], dumps[y][mk]["columns"]
            if cx and cy:
                models += 1
            only_x += sum(1 for n in cx if n not in cy) if cy else 0
            only_y += sum(1 for n in cy if n not in cx) if cx else 0
            for name in cx:
                if name not in cy:
                    continue
                both += 1
                vx = cx[name]["column" if x == "ours" else "direct"] if view == "column" else cx[name]["direct"]
                vy = cy[name]["direct"]
                if vx == vy:
                    agree += 1
                    rx = {".".join(s.split(".")[-3:]) for s in cx[name]["raw"]}
                    ry = {".".join(s.split(".")[-3:]) for s in cy[name]["raw"]}
                    if rx != ry:
                        case_only += 1
                    continue
                xo, yo = vx - vy, vy - vx
                cond = cx[name]["column"] - cx[name]["direct"] if x == "ours" else set()
                disagreements.append({
                    "pair": f"{x} vs {y}", "view": view, "project": mk[0], "model": mk[1], "column": name,
                    x: sorted(vx), y: sorted(vy),
                    f"only_{x}": [{"source": s, "in_catalog": s in exists[mk[0]]} for s in sorted(xo)],
                    f"only_{y}": [{"source": s, "in_catalog": s in exists[mk[0]]} for s in sorted(yo)],
                    "guess": guess(xo, yo, x, y, exists[mk[0]], tables[mk[0]], cond, names.get(mk, (set(), set(), ""))),
                })
        rate = agree / both if both else 0
        print(f"| {x} vs {y} | {view} | {models} | {both} | {agree} | {rate:.1%} | {only_x} | {only_y} | "
              f"{case_only if view == 'direct' else '-'} |")

    # Transform types (identity, transformation, aggregation) of the sources both name,
    # ours against sqlglot's (derived per path: an aggregate on the path makes it an
    # aggregation, any other expression a transformation).
    if "ours" in dumps and "sqlglot" in dumps:
        same = total = 0
        confusion = collections.Counter()
        for mk in set(dumps["ours"]) & set(dumps["sqlglot"]):
            co, cs = dumps["ours"][mk]["columns"], dumps["sqlglot"][mk]["columns"]
            for name in co:
                if name not in cs or co[name]["direct"] != cs[name]["direct"]:
                    continue
                for src in co[name]["direct"]:
                    a_t, b_t = co[name]["per_source"].get(src, set()), cs[name]["per_source"].get(src, set())
                    total += 1
                    if a_t == b_t:
                        same += 1
                    else:
                        confusion[("/".join(sorted(a_t)), "/".join(sorted(b_t)))] += 1
        print(f"\nTransform types, ours vs sqlglot, on the {total} sources of agreeing columns: "
              f"{same} equal ({same / max(1, total):.1%}); differences (ours -> sqlglot): "
              + ", ".join(f"{a} -> {b}: {n}" for (a, b), n in confusion.most_common(6)))

    print()
    print("| pair | view | first guess | columns | first side's extra sources in catalog | second side's extra sources in catalog |")
    print("|---|---|---|---|---|---|")
    groups = collections.defaultdict(list)
    for d in disagreements:
        groups[(d["pair"], d["view"], d["guess"])].append(d)
    for (pair, view, g), ds in sorted(groups.items()):
        x, y = pair.split(" vs ")
        xs = [s for d in ds for s in d[f"only_{x}"]]
        ys = [s for d in ds for s in d[f"only_{y}"]]
        print(f"| {pair} | {view} | {g} | {len(ds)} | {sum(s['in_catalog'] for s in xs)}/{len(xs)} | "
              f"{sum(s['in_catalog'] for s in ys)}/{len(ys)} |")
    if a.out:
        json.dump({"disagreements": disagreements}, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
