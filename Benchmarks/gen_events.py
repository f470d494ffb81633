#!/usr/bin/env python3
"""Deterministic generator of OpenLineage events over a mesh directory, with planted drift.

Reads a mesh directory (gen_mesh.py output, or any mesh whose products have a
`location:`) and writes DIR/events-NNN.jsonl: one COMPLETE RunEvent per line, for
--events events in all, spread evenly over --days days. Each product with a location
has a job `gen:job_<id>` that reads its declared inputs (by their location, in
namespace `warehouse://gen`) and writes its own location; the jobs take turns, so each
runs about events / products times across the whole period. The last run of each
product carries a `schema` facet with its declared columns.

Planted drift, --plant of each (chosen deterministically):
* undeclared-read: a product also reads a public, same-domain node it does not declare;
* stale-input: a product stops reading one declared input for the last half of the
  period (so a `--window` of less than half the period finds it);
* schema-drift: a product's last schema drops its first column, retypes its second and
  adds `drift_extra` (3 findings each);
* unknown-producer: a job also writes `rogue.table_K`, which matches no node;
* unmatched-dataset: a job also reads `external.feed_K` (also an undeclared-read).

Prints one JSON line: {"dir", "events", "files", "window", "findings": {rule: count}}, the
counts `lineage drift --window WINDOW` must report (WINDOW is 2/5 of the period) (the access rules counted from what the
events show, with the same semantics). Only random.Random(seed) is used.

Usage: python3 gen_events.py --mesh DIR --events 1000000 --out DIR
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import random
import shutil

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    Loader = yaml.SafeLoader

NAMESPACE = "warehouse://gen"
BASE = 1_767_225_600  # 2026-01-01T00:00:00Z


def iso(t: float) -> str:
    import time
    whole = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((t - whole) * 1000):03d}Z"


def load_mesh(root: str):
    domains, nodes = {}, {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*.y*ml"), recursive=True)):
        with open(path) as f:
            for doc in yaml.load_all(f, Loader=Loader):
                if not isinstance(doc, dict):
                    continue
                if doc.get("kind") == "Mesh":
                    for d in doc.get("domains") or []:
                        domains[d["id"]] = d.get("owner")
                elif doc.get("kind") in ("DataProduct", "Source", "Consumer") and doc.get("id") not in nodes:
                    nodes[doc["id"]] = doc
    return domains, nodes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mesh", required=True)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--plant", type=int, default=10)
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    domains, nodes = load_mesh(args.mesh)
    loc = {i: n["location"] for i, n in nodes.items() if n.get("location") and n.get("kind") != "Consumer"}
    products = sorted(i for i, n in nodes.items() if n.get("kind") == "DataProduct" and i in loc)
    if not products:
        raise SystemExit("no product with a location in " + args.mesh)

    def owner(n):
        return n.get("owner") or domains.get(n.get("domain"))

    inputs = {p: [x["product"] for x in nodes[p].get("inputs") or [] if x["product"] in loc] for p in products}
    picks = rnd.sample(products, min(len(products), args.plant * 5))
    k = args.plant
    undeclared, stale, schema, rogue, external = picks[:k], picks[k:2 * k], picks[2 * k:3 * k], picks[3 * k:4 * k], picks[4 * k:5 * k]
    extra = {}
    for p in undeclared:
        pool = [i for i in loc if i != p and i not in inputs[p] and nodes[i].get("access", "public") == "public"
                and nodes[i].get("domain") == nodes[p].get("domain")]
        if pool:
            extra[p] = rnd.choice(sorted(pool))
    stale_input = {p: rnd.choice(inputs[p]) for p in stale if inputs[p]}
    rogue_out = {p: f"rogue.table_{k}" for k, p in enumerate(rogue)}
    external_in = {p: f"external.feed_{k}" for k, p in enumerate(external)}

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    step = args.days * 86400 / args.events
    half = BASE + args.days * 86400 / 2
    per_file = -(-args.events // args.files)
    last = {p: None for p in products}
    # The last event of each product carries its schema: find its index.
    for e in range(args.events):
        last[products[e % len(products)]] = e
    seen_reads: dict[tuple[str, str], bool] = {}
    files = 0
    out = None
    for e in range(args.events):
        if e % per_file == 0:
            if out:
                out.close()
            out = open(os.path.join(args.out, f"events-{files:03d}.jsonl"), "w")
            files += 1
        p = products[e % len(products)]
        t = BASE + e * step
        ins = list(inputs[p])
        if p in stale_input and t >= half:
            ins.remove(stale_input[p])
        if p in extra:
            ins.append(extra[p])
        ds_in = [{"namespace": NAMESPACE, "name": loc[i]} for i in ins]
        if p in external_in:
            ds_in.append({"namespace": NAMESPACE, "name": external_in[p]})
        for i in ins:
            seen_reads[(p, i)] = True
        output = {"namespace": NAMESPACE, "name": loc[p]}
        if last[p] == e:
            cols = [(c["name"], c.get("type")) for c in nodes[p].get("schema") or []]
            if p in schema and len(cols) >= 2:
                cols = cols[1:]
                cols[0] = (cols[0][0], "boolean" if cols[0][1] != "boolean" else "date")
                cols.append(("drift_extra", "int"))
            output["facets"] = {"schema": {"fields": [{"name": n, "type": ty} if ty else {"name": n} for n, ty in cols]}}
        outs = [output]
        if p in rogue_out:
            outs.append({"namespace": NAMESPACE, "name": rogue_out[p]})
        event = {
            "eventType": "COMPLETE", "eventTime": iso(t),
            "run": {"runId": f"{e:08x}-0000-4000-8000-{e:012x}"},
            "job": {"namespace": "gen", "name": f"job_{p}"},
            "inputs": ds_in, "outputs": outs, "producer": "gen_events.py",
        }
        out.write(json.dumps(event, separators=(",", ":")) + "\n")
    if out:
        out.close()

    # The findings `lineage drift --window <days/2>d` reports, with its semantics.
    findings = {"undeclared-read": 0, "observed-private-access": 0, "observed-domain-only-access": 0,
                "stale-input": 0, "schema-drift": 0, "unknown-producer": len(rogue_out),
                "unmatched-dataset": len(external_in)}
    written = set(products[:min(args.events, len(products))])
    observed_nodes = set(written) | {i for (_, i) in seen_reads}
    for (x, y) in seen_reads:
        if y not in inputs[x]:
            findings["undeclared-read"] += 1
        nx, ny = nodes[x], nodes[y]
        access = ny.get("access", "public")
        if access == "private" and owner(nx) != owner(ny):
            findings["observed-private-access"] += 1
        if access == "domain" and nx.get("domain") != ny.get("domain"):
            findings["observed-domain-only-access"] += 1
    findings["undeclared-read"] += len(external_in)
    for p in written:
        for y in inputs[p]:
            if y in observed_nodes and y != p and stale_input.get(p) == y:
                findings["stale-input"] += 1
    findings["schema-drift"] = 3 * sum(1 for p in schema if p in written and len(nodes[p].get("schema") or []) >= 2)
    window = f"{max(1, args.days * 2 // 5)}d"
    print(json.dumps({"dir": args.out, "events": args.events, "files": files, "window": window, "findings": findings}))


if __name__ == "__main__":
    main()
