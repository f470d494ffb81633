#!/usr/bin/env python3
# Copied unchanged from shared/bench/gen_lineage.py (the project's benchmark inputs), so that
# the CI smoke benchmark can generate the 1k graph on a fresh clone.
"""Deterministic synthetic lineage-graph generator (benchmark input).

A lineage graph has data products (tables, models, dashboards) as nodes and
"consumes" dependencies as edges: an edge ``[src, dst]`` means data flows from
``src`` to ``dst`` (``dst`` reads ``src``).  Downstream = along edges.

Shape of the generated graphs (modelled on dbt/warehouse projects):

* Five layers, created in this order::

      src (raw sources)      12 %   in-degree 0
      stg (staging)          22 %   reads 1 source (sometimes 2-3)
      int (intermediate)     33 %   reads stg and earlier int models
      mrt (marts)            21 %   reads int, some stg, earlier marts
      exp (exposures)        12 %   dashboards/ML features reading marts

* ``--domains`` business domains (default 20) of unequal size
  (share of domain i proportional to 1/sqrt(i+1)); 85 % of the reads stay
  inside the consumer's own domain, 15 % cross into another domain.
* In-degree is ``1 + floor(Lomax)`` (shape 2): median 2, 75 % in 1-4, a
  heavy tail up to 200.  Marts start at 2.  Edges are about 3x nodes.
* Heavy-tailed popularity: each node gets a Pareto(alpha=4/3) weight and
  parents are drawn in proportion to it, so some tables are read by many.
* Hubs: ``max(3, round(n/20000))`` staging tables (conformed dimensions such as
  a date or customer table).  3 % of the reads of int/mrt/exp models go to a hub,
  chosen Zipf(1) among hubs, so at 1M nodes the top hub is read by ~20k models
  and every hub by hundreds to thousands.
* Acyclic by construction (a node only reads nodes created before it).
  ``--cycles K`` also writes a variant with K injected back edges, each
  closing a short cycle (2-6 nodes, a "reverse ETL" feed into an upstream
  table).  The variant has the same nodes and base edges, so it differs from
  the base graph only by those K edges (listed in its .meta.json).
* Node order and edge order in the files are shuffled, so file order is
  neither topological nor grouped by domain (as with real metadata exports).

Determinism: only ``random.Random(seed).random()`` is used (its stream is
guaranteed stable across Python versions) and only IEEE-754 exact operations
(+ - * / sqrt, floor) are applied to it, so the same arguments give
byte-identical files on any platform.  Each file's SHA-256 is in the
``.meta.json`` to check that.

Output, per size and per K in ``--cycles`` (K=0 is the base graph)::

    lineage-<size>[-c<K>].json       {"nodes":[{"id":..,"domain":..,"layer":..}],
                                       "edges":[[src,dst],...]}
    lineage-<size>[-c<K>].edges.tsv  one "src<TAB>dst" line per edge, no header
    lineage-<size>[-c<K>].nodes.tsv  one "id<TAB>domain<TAB>layer" line per node
                                      (also lists nodes without edges)
    lineage-<size>[-c<K>].meta.json  parameters, statistics, hubs, benchmark
                                      query nodes, injected cycles, SHA-256s

Node ids look like ``int.finance.1234`` (layer.domain.counter).

Usage::

    python3 gen_lineage.py --sizes 1k,10k,100k,1m --cycles 0,5 --out-dir /tmp/lineage-bench-data

Sizes: 1k, 10k, 100k, 1m (or any integer >= 100).  1M takes about a minute and
writes ~250 MB (JSON + TSV).  Do not write generated data into shared/.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import math
import os
import random
import sys
import time
from bisect import bisect_right

GENERATOR_VERSION = 1

DOMAIN_NAMES = (
    "finance", "marketing", "sales", "product", "growth", "ops", "supply", "hr",
    "risk", "support", "payments", "logistics", "pricing", "catalog", "identity",
    "ads", "search", "billing", "security", "analytics",
)

LAYERS = ("src", "stg", "int", "mrt", "exp")
LAYER_SHARE = (0.12, 0.22, 0.33, 0.21, 0.12)

# Consumer layer -> ((parent layer, probability), ...).  A parent in the same
# layer must have been created earlier (keeps the graph acyclic).
PARENT_MIX = {
    1: ((0, 1.00),),
    2: ((1, 0.55), (2, 0.45)),
    3: ((2, 0.60), (1, 0.10), (3, 0.30)),
    4: ((3, 0.85), (2, 0.15)),
}
# Staging in-degree distribution: P(1)=.85, P(2)=.12, P(3)=.03.
STG_INDEG_CUM = (0.85, 0.97, 1.0)
# Other layers: in-degree = dmin + floor(scale * (1/sqrt(1-u) - 1)), capped.
# (Lomax with shape 2: median ~0.41*scale, P(> t) = (1 + t/scale)^-2.)
INDEG_LOMAX = {2: (1, 3.2), 3: (2, 3.9), 4: (1, 2.6)}
INDEG_CAP = 200

P_CROSS_DOMAIN = 0.15   # a read goes to another domain (chosen by domain size)
P_HUB = 0.03            # a read of an int/mrt/exp model goes to a hub table
NODES_PER_HUB = 20000   # number of hubs = max(3, round(n / NODES_PER_HUB))
MIN_HUBS = 3


def parse_size(text: str) -> int:
    """'1k' -> 1000, '1m' -> 1_000_000, '2500' -> 2500."""
    t = text.strip().lower()
    mult = 1
    if t.endswith("k"):
        mult, t = 1000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    n = int(float(t) * mult)
    if n < 100:
        raise ValueError(f"size {text!r}: need at least 100 nodes")
    return n


def size_label(n: int) -> str:
    """1000 -> '1k', 1_000_000 -> '1m', 2500 -> '2500'."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def pareto_weight(u: float) -> float:
    """Pareto(alpha=4/3) popularity weight, (1-u)^(-3/4), exact IEEE ops only."""
    s = math.sqrt(1.0 - u)
    return 1.0 / (s * math.sqrt(s))


def largest_remainder(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` into integer parts proportional to `weights` (deterministic)."""
    k = len(weights)
    base = [minimum] * k
    rest = total - minimum * k
    if rest < 0:
        raise ValueError("total too small for the minimum per part")
    wsum = sum(weights)
    quotas = [rest * w / wsum for w in weights]
    floors = [int(q) for q in quotas]
    left = rest - sum(floors)
    order = sorted(range(k), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [b + f for b, f in zip(base, floors)]


class Lineage:
    """A generated graph in creation order (creation order is topological)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.domain: list[int] = []
        self.layer: list[int] = []
        self.parents: list[list[int]] = []   # parents[i]: nodes that i reads
        self.depth: list[int] = []           # longest path (edges) from a source
        self.hubs: list[int] = []
        self.domains: list[str] = []
        self.params: dict = {}


def generate(n: int, seed: int = 42, n_domains: int = 20) -> Lineage:
    """Build the acyclic base graph with n nodes.  Deterministic in (n, seed, n_domains)."""
    rnd = random.Random(seed).random
    g = Lineage()
    if n_domains <= len(DOMAIN_NAMES):
        g.domains = list(DOMAIN_NAMES[:n_domains])
    else:
        g.domains = [f"d{i:03d}" for i in range(n_domains)]
    D = n_domains
    g.params = {"n": n, "seed": seed, "domains": D, "generator_version": GENERATOR_VERSION}

    dom_w = [1.0 / math.sqrt(i + 1.0) for i in range(D)]
    dom_cum = list(itertools.accumulate(dom_w))

    def pick_domain() -> int:
        j = bisect_right(dom_cum, rnd() * dom_cum[-1])
        return j if j < D else D - 1

    layer_n = largest_remainder(n, list(LAYER_SHARE), minimum=D)

    # pools[l][d]: node ids of layer l, domain d, in creation order; cum: prefix weights.
    pools = [[[] for _ in range(D)] for _ in LAYERS]
    cums: list[list[list[float]]] = [[[] for _ in range(D)] for _ in LAYERS]

    # 1. Nodes: per layer, domain counts by size, creation order interleaved at random.
    for l, cnt in enumerate(layer_n):
        per_dom = largest_remainder(cnt, dom_w, minimum=1)
        labels = [d for d in range(D) for _ in range(per_dom[d])]
        for j in range(len(labels) - 1, 0, -1):          # Fisher-Yates
            k = int(rnd() * (j + 1))
            labels[j], labels[k] = labels[k], labels[j]
        counters = [0] * D
        for d in labels:
            i = len(g.ids)
            g.ids.append(f"{LAYERS[l]}.{g.domains[d]}.{counters[d]}")
            counters[d] += 1
            g.domain.append(d)
            g.layer.append(l)
            pools[l][d].append(i)
            w = pareto_weight(rnd())
            c = cums[l][d]
            c.append(w + (c[-1] if c else 0.0))

    # Hubs: the first staging tables created.
    n_hubs = max(MIN_HUBS, round(n / NODES_PER_HUB))
    stg_first = layer_n[0]
    g.hubs = list(range(stg_first, stg_first + min(n_hubs, layer_n[1])))
    hub_cum = list(itertools.accumulate(1.0 / (j + 1.0) for j in range(len(g.hubs))))

    mix_cum = {}
    for l, mix in PARENT_MIX.items():
        mix_cum[l] = (tuple(pl for pl, _ in mix), tuple(itertools.accumulate(p for _, p in mix)))

    def indegree(l: int) -> int:
        u = rnd()
        if l == 1:
            return 1 + bisect_right(STG_INDEG_CUM, u)
        dmin, scale = INDEG_LOMAX[l]
        x = scale * (1.0 / math.sqrt(1.0 - u) - 1.0)
        return min(INDEG_CAP, dmin + int(x))

    # 2. Edges, in creation order.
    g.parents = [[] for _ in range(n)]
    g.depth = [0] * n
    i = layer_n[0]
    for l in range(1, len(LAYERS)):
        created = [0] * D              # same-layer nodes created so far, per domain
        layers_mix, probs = mix_cum[l]
        lower = [pl for pl in layers_mix if pl < l]
        for _ in range(layer_n[l]):
            d = g.domain[i]
            k = indegree(l)
            ps: list[int] = []
            tries = 0
            while len(ps) < k and tries < 4 * k + 8:
                tries += 1
                if l >= 2 and rnd() < P_HUB:
                    j = bisect_right(hub_cum, rnd() * hub_cum[-1])
                    p = g.hubs[j if j < len(g.hubs) else -1]
                else:
                    m = bisect_right(probs, rnd() * probs[-1])
                    pl = layers_mix[m if m < len(layers_mix) else -1]
                    pd = pick_domain() if rnd() < P_CROSS_DOMAIN else d
                    hi = created[pd] if pl == l else len(pools[pl][pd])
                    if hi == 0:                      # nothing created yet there
                        pl, pd = lower[0], d
                        hi = len(pools[pl][pd])
                    c = cums[pl][pd]
                    j = bisect_right(c, rnd() * c[hi - 1], 0, hi)
                    p = pools[pl][pd][j if j < hi else hi - 1]
                if p not in ps:
                    ps.append(p)
            g.parents[i] = ps
            g.depth[i] = 1 + max(g.depth[p] for p in ps)
            created[d] += 1
            i += 1
    return g


def inject_cycles(g: Lineage, k: int, seed: int) -> list[dict]:
    """Pick k back edges v->u where u is an ancestor of v 1-5 steps up.

    Returns [{"back_edge": (v, u), "path": [u, ..., v]}, ...] in node indices;
    the cycle is path[0] -> ... -> path[-1] -> path[0].  Deterministic.
    """
    rnd = random.Random(seed + 7919).random
    n = len(g.ids)
    candidates = [i for i in range(n) if g.layer[i] >= 2 and g.parents[i]]
    used: set[tuple[int, int]] = set()
    out = []
    attempts = 0
    while len(out) < k and attempts < 1000 * (k + 1):
        attempts += 1
        v = candidates[int(rnd() * len(candidates))]
        steps = 1 + int(rnd() * 5)
        path = [v]
        u = v
        for _ in range(steps):
            ps = g.parents[u]
            if not ps:
                break
            u = ps[int(rnd() * len(ps))]
            path.append(u)
        if len(path) < 2 or (v, u) in used or v in g.parents[u]:
            continue
        used.add((v, u))
        out.append({"back_edge": (v, u), "path": path[::-1]})
    if len(out) < k:
        raise RuntimeError(f"could only inject {len(out)} of {k} cycles")
    return out


def layout(g: Lineage, seed: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Shuffled file order: (node order as creation indices, edge list (src, dst))."""
    rnd = random.Random(seed + 104729).random
    order = list(range(len(g.ids)))
    for j in range(len(order) - 1, 0, -1):
        k = int(rnd() * (j + 1))
        order[j], order[k] = order[k], order[j]
    edges = [(p, i) for i in range(len(g.ids)) for p in g.parents[i]]
    for j in range(len(edges) - 1, 0, -1):
        k = int(rnd() * (j + 1))
        edges[j], edges[k] = edges[k], edges[j]
    return order, edges


class _HashingWriter:
    """Buffered text writer that also computes the SHA-256 of what it writes."""

    def __init__(self, path: str) -> None:
        self.f = open(path, "wb")
        self.h = hashlib.sha256()
        self.buf: list[str] = []
        self.size = 0

    def write(self, s: str) -> None:
        self.buf.append(s)
        if len(self.buf) >= 65536:
            self.flush()

    def flush(self) -> None:
        data = "".join(self.buf).encode()
        self.buf.clear()
        self.h.update(data)
        self.f.write(data)
        self.size += len(data)

    def close(self) -> tuple[str, int]:
        self.flush()
        self.f.close()
        return self.h.hexdigest(), self.size


def write_graph(g: Lineage, order: list[int], edges: list[tuple[int, int]], base: str) -> dict:
    """Write <base>.json, .edges.tsv, .nodes.tsv; return {file: {sha256, bytes}}."""
    ids, dom, lay = g.ids, g.domains, g.layer
    files = {}

    w = _HashingWriter(base + ".json")
    w.write('{"nodes":[\n')
    last = len(order) - 1
    for pos, i in enumerate(order):
        w.write(f'{{"id":"{ids[i]}","domain":"{dom[g.domain[i]]}","layer":"{LAYERS[lay[i]]}"}}'
                + (",\n" if pos < last else "\n"))
    w.write('],\n"edges":[\n')
    last = len(edges) - 1
    for pos, (s, t) in enumerate(edges):
        w.write(f'["{ids[s]}","{ids[t]}"]' + (",\n" if pos < last else "\n"))
    w.write("]}\n")
    files[os.path.basename(base + ".json")] = w.close()

    w = _HashingWriter(base + ".edges.tsv")
    for s, t in edges:
        w.write(f"{ids[s]}\t{ids[t]}\n")
    files[os.path.basename(base + ".edges.tsv")] = w.close()

    w = _HashingWriter(base + ".nodes.tsv")
    for i in order:
        w.write(f"{ids[i]}\t{dom[g.domain[i]]}\t{LAYERS[lay[i]]}\n")
    files[os.path.basename(base + ".nodes.tsv")] = w.close()
    return {name: {"sha256": h, "bytes": size} for name, (h, size) in files.items()}


def stats(g: Lineage, edges: list[tuple[int, int]]) -> dict:
    """Degree statistics, hubs and the benchmark query nodes."""
    n = len(g.ids)
    indeg = [0] * n
    outdeg = [0] * n
    for s, t in edges:
        outdeg[s] += 1
        indeg[t] += 1
    buckets = {"0": 0, "1": 0, "2": 0, "3": 0, "4": 0, "5-9": 0, "10-99": 0, "100+": 0}
    for d in indeg:
        key = str(d) if d <= 4 else ("5-9" if d < 10 else ("10-99" if d < 100 else "100+"))
        buckets[key] += 1
    non_src = sorted(d for i, d in enumerate(indeg) if g.layer[i] > 0)
    top_out = sorted(range(n), key=lambda i: (-outdeg[i], g.ids[i]))[:10]
    q_down = top_out[0]
    q_up = min(range(n), key=lambda i: (-indeg[i], g.ids[i]))
    return {
        "nodes": n,
        "edges": len(edges),
        "edges_per_node": round(len(edges) / n, 3),
        "layers": {LAYERS[l]: sum(1 for x in g.layer if x == l) for l in range(len(LAYERS))},
        "domains": g.domains,
        "in_degree_histogram": buckets,
        "in_degree_median_non_source": non_src[len(non_src) // 2],
        "max_in_degree": indeg[q_up],
        "max_out_degree": outdeg[q_down],
        "isolated_nodes": sum(1 for i in range(n) if indeg[i] == 0 and outdeg[i] == 0),
        "longest_path_edges": max(g.depth),
        "hubs": [{"id": g.ids[h], "out_degree": outdeg[h]} for h in g.hubs],
        "top_out_degree": [{"id": g.ids[i], "out_degree": outdeg[i]} for i in top_out],
        "queries": {
            "down": g.ids[q_down],        # max out-degree node: downstream closure query
            "up": g.ids[q_up],            # max in-degree node: upstream closure query
            "depth": 3,                   # depth limit for the depth-limited downstream query
        },
    }


def build(n: int, seed: int, n_domains: int, cycles: list[int], out_dir: str, quiet: bool = False) -> list[str]:
    """Generate one size and write the base graph and each cyclic variant.  Returns base paths."""
    t0 = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()                  # millions of small lists: the cyclic GC only costs time here
    try:
        g = generate(n, seed, n_domains)
        order, edges = layout(g, seed)
    finally:
        if gc_was_enabled:
            gc.enable()
    t_gen = time.perf_counter() - t0
    st = stats(g, edges)
    label = size_label(n)
    written = []
    max_k = max(cycles) if cycles else 0
    injected_all = inject_cycles(g, max_k, seed) if max_k else []
    for k in sorted(set(cycles)):
        base = os.path.join(out_dir, f"lineage-{label}" + (f"-c{k}" if k else ""))
        injected = injected_all[:k]            # the K=5 variant holds the K=2 variant's cycles
        all_edges = edges
        if injected:
            rnd = random.Random(seed + 15485863 + k).random
            slots = sorted((int(rnd() * (len(edges) + 1)), c["back_edge"]) for c in injected)
            all_edges, prev = [], 0
            for pos, be in slots:
                all_edges.extend(edges[prev:pos])
                all_edges.append(be)
                prev = pos
            all_edges.extend(edges[prev:])
        files = write_graph(g, order, all_edges, base)
        meta = {
            "generator": "gen_lineage.py",
            "generator_version": GENERATOR_VERSION,
            "params": {**g.params, "cycles": k, "size_label": label},
            "stats": {**st, "edges": len(all_edges),
                      "edges_per_node": round(len(all_edges) / n, 3),
                      "note": "degree statistics, hubs and queries describe the base graph "
                              "(without injected cycles); edges counts this file"},
            "acyclic": k == 0,
            "injected_cycles": [
                {"back_edge": [g.ids[c["back_edge"][0]], g.ids[c["back_edge"][1]]],
                 "path": [g.ids[x] for x in c["path"]]}
                for c in injected
            ],
            "files": files,
        }
        with open(base + ".meta.json", "w") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
        written.append(base)
        if not quiet:
            print(f"{base}: {n} nodes, {len(all_edges)} edges, {k} injected cycles, "
                  f"{files[os.path.basename(base) + '.json']['bytes'] / 1e6:.1f} MB json, "
                  f"sha256(json)={files[os.path.basename(base) + '.json']['sha256'][:16]}...",
                  file=sys.stderr)
    if not quiet:
        print(f"  generated in {t_gen:.1f}s, total {time.perf_counter() - t0:.1f}s; "
              f"edges/node {st['edges_per_node']}, max out-degree {st['max_out_degree']}, "
              f"max in-degree {st['max_in_degree']}, longest path {st['longest_path_edges']}",
              file=sys.stderr)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k,100k,1m",
                    help="comma-separated sizes: 1k,10k,100k,1m or integers (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=42, help="RNG seed (default: %(default)s)")
    ap.add_argument("--domains", type=int, default=20, help="number of domains (default: %(default)s)")
    ap.add_argument("--cycles", default="0",
                    help="comma-separated K values; K=0 is the acyclic base graph, K>0 a variant "
                         "with K injected cycles (default: %(default)s)")
    ap.add_argument("--out-dir", default=os.environ.get("LINEAGE_BENCH_DATA", "/tmp/lineage-bench-data"),
                    help="output folder (default: $LINEAGE_BENCH_DATA or %(default)s)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    cycles = [int(x) for x in args.cycles.split(",") if x.strip()]
    if any(k < 0 for k in cycles):
        ap.error("--cycles values must be >= 0")
    for s in args.sizes.split(","):
        build(parse_size(s), args.seed, args.domains, cycles, args.out_dir, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
