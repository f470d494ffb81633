#!/usr/bin/env python3
"""One whole peer process, for `lineage-bench endtoend`: load a graph JSON file with a
peer of shared/bench/peers.py (igraph or rustworkx), answer one question, write the
answer, exit. The benchmark times the process from outside, as it times `lineage`.

    python3 peer_e2e.py --peers ../shared/bench/peers.py --lib igraph --op downstream \
        --graph lineage-1m.json --node stg.finance.0 --out answer.txt

The peers have no `impact` or `validate`; their nearest equivalents are timed:
- downstream: the downstream closure of --node, its ids sorted, one per line;
- impact: the downstream closure with each node's depth (breadth-first layers),
  sorted by id, "id<TAB>depth" per line;
- cycles: the strongly connected components with more than one node, each sorted,
  one per line;
- validate: the load plus a cycle check and a check that every edge end is declared,
  a one-line summary.
The first line printed on standard output is the answer's size, for the check.
"""
import argparse
import importlib.util
import json
import sys


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", required=True)
    ap.add_argument("--lib", required=True, choices=["igraph", "rustworkx"])
    ap.add_argument("--op", required=True, choices=["downstream", "impact", "cycles", "validate"])
    ap.add_argument("--graph", required=True)
    ap.add_argument("--node")
    ap.add_argument("--out", default="/dev/null")
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("peers", a.peers)
    peers = importlib.util.module_from_spec(spec)
    sys.modules["peers"] = peers
    spec.loader.exec_module(peers)
    adapter = peers.IGraph() if a.lib == "igraph" else peers.RustworkX()
    with open(a.graph, "rb") as f:
        data = json.load(f)
    declared = {n["id"] for n in data["nodes"]}
    undeclared = sorted({x for e in data["edges"] for x in e if x not in declared})
    if undeclared:
        data["nodes"] = data["nodes"] + [{"id": x, "domain": None} for x in undeclared]
    adapter.build(data)
    ids = adapter.ids
    lines: list[str] = []
    if a.op in ("downstream", "impact"):
        q = adapter.index[a.node]
        if a.lib == "igraph":
            order, layers, _ = adapter.g.bfs(q, mode="out")
            depth = {}
            for d in range(len(layers) - 1):
                for v in order[layers[d]:layers[d + 1]]:
                    depth[v] = d
        else:
            depth = {}
            for d, layer in enumerate(adapter.rx.digraph_bfs_layers(adapter.g, [q])):
                for v in layer:
                    depth[v] = d
        names = sorted((ids[v], d) for v, d in depth.items())
        if a.op == "downstream":
            lines = [n for n, _ in names]
        else:
            lines = [f"{n}\t{d}" for n, d in names]
    elif a.op == "cycles":
        if a.lib == "igraph":
            comps = [c for c in adapter.g.connected_components(mode="strong") if len(c) > 1]
        else:
            comps = [list(c) for c in adapter.rx.strongly_connected_components(adapter.g) if len(c) > 1]
        lines = sorted(" ".join(sorted(ids[v] for v in c)) for c in comps)
    else:
        if a.lib == "igraph":
            acyclic = adapter.g.is_dag()
        else:
            acyclic = adapter.rx.is_directed_acyclic_graph(adapter.g)
        lines = [f"{len(ids)} nodes, {'acyclic' if acyclic else 'cyclic'}, {len(undeclared)} undeclared edge ends"]
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(len(lines))


main()
