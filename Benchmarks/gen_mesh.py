#!/usr/bin/env python3
"""Deterministic generator of a large mesh spec directory (benchmark input).

Writes DIR/mesh.yaml (20 domains, their teams, every policy on) and
DIR/domains/<domain>/<file>.yaml, 25 documents per file, for N nodes in all:

* 12 % sources, 76 % data products, 12 % consumers, in creation order;
* each product reads 1 to 4 earlier nodes (85 % in its own domain), with column
  lineage: every column comes `from` one or two columns of its inputs, some through a
  transformation or an aggregation;
* 4 to 12 columns per source and product; about 5 % of source columns are classified
  pii, some of them masked on the way; sensitivity, access, SLA, status and a few
  deprecations vary, so every governance rule has work to do and some findings;
* acyclic (a node only reads earlier nodes).

Prints one JSON line: {"dir", "nodes", "edges", "files"}, the counts `lineage` must
load. Only random.Random(seed) is used, so the output is byte-identical everywhere.

Usage: python3 gen_mesh.py --nodes 10000 --out DIR
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil

DOMAINS = ["sales", "crm", "marketing", "finance", "logistics", "catalog", "support", "hr", "risk", "pricing",
           "supply", "payments", "growth", "content", "search", "ads", "billing", "identity", "partners", "ops"]
TYPES = ["bigint", "int", "varchar(64)", "varchar(200)", "decimal(18,2)", "timestamp", "date", "boolean", "double"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=10000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    n = args.nodes
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)

    with open(os.path.join(args.out, "mesh.yaml"), "w") as f:
        f.write("apiVersion: lineage/v1\nkind: Mesh\nname: generated\ndomains:\n")
        for d in DOMAINS:
            f.write(f"  - id: {d}\n    name: {d.title()}\n    owner: team-{d}\n    description: The {d} domain.\n")
        f.write("teams:\n")
        for d in DOMAINS:
            f.write(f"  - id: team-{d}\n    name: {d.title()} Data Team\n    contact: {d}-data@example.com\n")
        f.write("  - id: team-platform\n    name: Data Platform\n    contact: platform@example.com\n")
        f.write("policies:\n")
        for rule, level in [("require-owner", "error"), ("require-description", "warning"), ("require-sla", "warning"),
                            ("require-schema", "warning"), ("no-cycles", "error"),
                            ("cross-domain-private-access", "error"), ("pii-propagation", "error"),
                            ("deprecated-input", "warning"), ("sla-freshness", "warning"), ("max-depth", "warning")]:
            f.write(f"  {rule}: {level}\n")

    nodes = []  # (id, domain, kind, columns: [(name, pii)])
    edges = 0
    per_domain: dict[str, list[int]] = {d: [] for d in DOMAINS}
    docs: dict[str, list[str]] = {d: [] for d in DOMAINS}
    for i in range(n):
        # Domain sizes fall off like 1/sqrt(rank).
        weights = [1 / (k + 1) ** 0.5 for k in range(len(DOMAINS))]
        d = rnd.choices(DOMAINS, weights)[0]
        u = i / n
        kind = "Source" if u < 0.12 or not any(per_domain.values()) else ("Consumer" if u >= 0.88 else "DataProduct")
        nid = f"{d}.{kind.lower()}_{i}"
        lines = ["apiVersion: lineage/v1", f"kind: {kind}", f"id: {nid}", f"name: {kind} {i}", f"domain: {d}"]
        if rnd.random() < 0.97:
            lines.append(f"owner: team-{d}" if kind != "Source" or rnd.random() < 0.5 else "owner: team-platform")
        if rnd.random() < 0.9:
            lines.append(f"description: Generated {kind.lower()} number {i} of the {d} domain.")
        columns: list[tuple[str, bool]] = []
        if kind != "Consumer":
            sens = rnd.choice(["public", "internal", "confidential", "restricted", "restricted"])
            lines.append(f"sensitivity: {sens}")
            lines.append(f"access: {rnd.choices(['public', 'domain', 'private'], [8, 2, 1])[0]}")
            if rnd.random() < 0.8:
                lines.append(f"sla: {{ freshness: {rnd.choice(['15m', '1h', '6h', '24h'])}, availability: 99.5 }}")
            lines.append(f"location: warehouse.{d}.t{i}")
        status = "deprecated" if rnd.random() < 0.02 and kind != "Consumer" else "active"
        lines.append(f"status: {status}")
        if status == "deprecated":
            lines.append(f"deprecation: {{ sunset: '2030-01-01', replacedBy: {nid}_v2 }}")
        inputs: list[int] = []
        if kind != "Source":
            k = min(len(nodes), 1 + int(rnd.random() ** 2 * 4))
            while len(inputs) < k:
                pool = per_domain[d] if rnd.random() < 0.85 and per_domain[d] else None
                j = rnd.choice(pool) if pool else rnd.randrange(len(nodes))
                # Prefer recent nodes, so chains grow deep.
                if nodes[j][2] != "Consumer" and j not in inputs:
                    inputs.append(j)
                elif rnd.random() < 0.05:
                    break
            if inputs:
                lines.append("inputs:")
                for j in inputs:
                    lines.append(f"  - product: {nodes[j][0]}")
                edges += len(inputs)
        if kind != "Consumer":
            lines.append("schema:")
            for c in range(rnd.randint(4, 12)):
                name = f"c{c}_{rnd.randrange(1000)}"
                pii = False
                col = [f"  - name: {name}", f"    type: {rnd.choice(TYPES)}"]
                if kind == "Source" and rnd.random() < 0.05:
                    col.append("    classification: pii")
                    pii = True
                refs = []
                for j in inputs[:2]:
                    ups = nodes[j][3]
                    if ups and rnd.random() < 0.8:
                        up, up_pii = rnd.choice(ups)
                        t = rnd.choices(["identity", "transformation", "aggregation"], [6, 3, 1])[0]
                        masked = up_pii and rnd.random() < 0.3
                        pii = pii or (up_pii and not masked and t != "aggregation")
                        extra = ", masked: true" if masked else ""
                        refs.append(f"{{ product: {nodes[j][0]}, column: {up}, transform: {t}{extra} }}")
                if refs:
                    col.append("    from:")
                    col.extend(f"      - {r}" for r in refs)
                if pii and kind != "Source":
                    col.append("    classification: pii")
                columns.append((name, pii))
                lines.extend(col)
        nodes.append((nid, d, kind, columns))
        per_domain[d].append(i)
        docs[d].append("\n".join(lines) + "\n")

    files = 0
    for d in DOMAINS:
        if not docs[d]:
            continue
        os.makedirs(os.path.join(args.out, "domains", d), exist_ok=True)
        for k in range(0, len(docs[d]), 25):
            with open(os.path.join(args.out, "domains", d, f"part{k // 25:04d}.yaml"), "w") as f:
                f.write("---\n".join(docs[d][k:k + 25]))
            files += 1
    print(json.dumps({"dir": args.out, "nodes": n, "edges": edges, "files": files}))


if __name__ == "__main__":
    main()
