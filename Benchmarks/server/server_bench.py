#!/usr/bin/env python3
"""`lineage serve` under load: ingest throughput with concurrent producers, and query
latency (p50/p99) on the history they leave, every answer checked.

Events: one OpenLineage RunEvent (COMPLETE) per dataset, job i reading d(i-1) and a
random earlier dataset and writing d(i), with a schema facet (3 fields) and a
columnLineage facet, eventTime one millisecond apart. PRODUCERS threads post them one
event per request (as openlineage-python's HTTP transport does), over keep-alive
connections, each thread taking every PRODUCERS-th event, so the server receives them
a little out of time order, as from real concurrent producers.

Then, on that history: Marquez's /api/v1/lineage (depth 2) and /api/v1/column-lineage
(depth 2) at random datasets; the CLI-shaped /api/mesh/downstream (depth 2); and
"fresh" questions, each right after one new event was posted (the graph is brought up
to date before answering). Each reported as p50/p99 (and the slowest) over QUERIES
requests: the first question of a kind after the ingest builds its graph. The
server's peak RSS (VmHWM) is read from /proc.

With --mesh PATH the server serves declared inputs beside the events (its --mesh; a
graph JSON of Benchmarks/gen_lineage.py, say), so that each question after new events
also brings the merge of both up to date.

Prints one JSON object per measurement; exits 1 when an answer is wrong.
"""
import argparse, http.client, json, os, random, re, shutil, subprocess, sys, tempfile, threading, time


def event(i, rng_seed):
    rng = random.Random(rng_seed * 1_000_003 + i)
    ms = 1_700_000_000_000 + i
    t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)
    inputs = []
    lineage = {}
    if i > 0:
        others = sorted({i - 1, rng.randrange(0, i)})
        inputs = [{"namespace": "bench", "name": "d%d" % k} for k in others]
        lineage = {
            "f%d" % f: {"inputFields": [{"namespace": "bench", "name": "d%d" % k, "field": "f%d" % f} for k in others]}
            for f in range(3)
        }
    out = {"namespace": "bench", "name": "d%d" % i, "facets": {
        "schema": {"_producer": "bench", "_schemaURL": "s", "fields": [{"name": "f%d" % f, "type": "INTEGER"} for f in range(3)]}}}
    if lineage:
        out["facets"]["columnLineage"] = {"_producer": "bench", "_schemaURL": "s", "fields": lineage}
    return json.dumps({
        "eventType": "COMPLETE", "eventTime": t,
        "run": {"runId": "00000000-0000-4000-8000-%012d" % i},
        "job": {"namespace": "bench", "name": "job%d" % i},
        "inputs": inputs, "outputs": [out],
        "producer": "https://example.com/bench",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
    }, separators=(",", ":")).encode()


def start(lineage, store, work, mesh=None):
    extra = ["--mesh", mesh] if mesh else []
    p = subprocess.Popen([lineage, "serve", "--store", store, "--port", "0"] + extra, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, cwd=work)
    deadline = time.time() + 120
    while time.time() < deadline:
        line = p.stdout.readline().decode(errors="replace")
        if not line:
            break
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
            return p, int(m.group(1))
    p.kill()
    sys.exit("the server did not start")


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lineage", required=True)
    ap.add_argument("--store", default="sqlite", help="sqlite, or a postgres:// URL")
    ap.add_argument("--datasets", type=int, default=100_000)
    ap.add_argument("--producers", type=int, default=8)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--fresh", type=int, default=20, help="questions right after a new event")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mesh", help="declared inputs served beside the events (the server's --mesh)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lineage-server-bench-")
    store = "sqlite:" + os.path.join(work, "events.db") if a.store == "sqlite" else a.store
    kind = "sqlite" if a.store == "sqlite" else "postgres"
    events = [event(i, a.seed) for i in range(a.datasets)]
    server, port = start(os.path.abspath(a.lineage), store, work, os.path.abspath(a.mesh) if a.mesh else None)
    failures = []
    try:
        # Ingest: PRODUCERS threads, one event per request.
        statuses = {}
        lock = threading.Lock()

        def produce(k):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine = {}
            for i in range(k, len(events), a.producers):
                status, _ = request(conn, "POST", "/api/v1/lineage", events[i])
                mine[status] = mine.get(status, 0) + 1
            with lock:
                for s, c in mine.items():
                    statuses[s] = statuses.get(s, 0) + c

        t0 = time.perf_counter()
        threads = [threading.Thread(target=produce, args=(k,)) for k in range(a.producers)]
        for t in threads: t.start()
        for t in threads: t.join()
        elapsed = time.perf_counter() - t0
        ok = statuses.get(201, 0) == len(events)
        if not ok: failures.append("ingest statuses %s" % statuses)
        print(json.dumps({"store": kind, "case": "ingest", "events": len(events), "producers": a.producers,
                          "seconds": round(elapsed, 3), "events_per_second": round(len(events) / elapsed),
                          "ok": ok}), flush=True)

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        t0 = time.perf_counter()
        status, body = request(conn, "GET", "/api/mesh/stats")
        first = time.perf_counter() - t0
        nodes = json.loads(body).get("nodes") if status == 200 else None
        # With declared inputs, their nodes are in the graph too (none is an event's).
        ok = status == 200 and (nodes == len(events) if not a.mesh else nodes is not None and nodes >= len(events))
        if not ok: failures.append("stats: %s %s" % (status, body[:200]))
        print(json.dumps({"store": kind, "case": "first question after ingest", "seconds": round(first, 3),
                          "nodes": nodes, "ok": ok}), flush=True)

        rng = random.Random(a.seed)
        cases = [
            ("marquez lineage depth 2", lambda k: "/api/v1/lineage?nodeId=dataset:bench:d%d&depth=2" % k,
             lambda k, b: ("dataset:bench:d%d" % k) in b.decode()),
            ("marquez column-lineage depth 2",
             lambda k: "/api/v1/column-lineage?nodeId=datasetField:bench:d%d:f1&depth=2" % k,
             lambda k, b: ("datasetField:bench:d%d:f1" % k) in b.decode()),
            ("downstream depth 2", lambda k: "/api/mesh/downstream?selector=bench:d%d&depth=2" % k,
             lambda k, b: ('"bench:d%d"' % k) in b.decode()),
        ]
        for name, path, check in cases:
            times, bad = [], 0
            for _ in range(a.queries):
                k = rng.randrange(1, len(events))
                t0 = time.perf_counter()
                status, body = request(conn, "GET", path(k))
                times.append(time.perf_counter() - t0)
                if status != 200 or not check(k, body): bad += 1
            if bad: failures.append("%s: %d wrong answers" % (name, bad))
            print(json.dumps({"store": kind, "case": name, "queries": a.queries,
                              "p50_ms": round(percentile(times, 50) * 1000, 2),
                              "p99_ms": round(percentile(times, 99) * 1000, 2),
                              "max_ms": round(max(times) * 1000, 2), "ok": bad == 0}), flush=True)

        # Fresh questions: one new event, then a question that must see it.
        times, bad = [], 0
        n = len(events)
        for j in range(a.fresh):
            e = event(n + j, a.seed)
            status, _ = request(conn, "POST", "/api/v1/lineage", e)
            t0 = time.perf_counter()
            status, body = request(conn, "GET", "/api/v1/lineage?nodeId=dataset:bench:d%d&depth=1" % (n + j))
            times.append(time.perf_counter() - t0)
            if status != 200 or ("dataset:bench:d%d" % (n + j)).encode() not in body: bad += 1
        if bad: failures.append("fresh questions: %d wrong answers" % bad)
        print(json.dumps({"store": kind, "case": "question right after a new event", "queries": len(times),
                          "p50_ms": round(percentile(times, 50) * 1000, 2),
                          "p99_ms": round(percentile(times, 99) * 1000, 2),
                          "max_ms": round(max(times) * 1000, 2), "ok": bad == 0}), flush=True)
        rss = None
        with open("/proc/%d/status" % server.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"): rss = int(line.split()[1]) // 1024
        print(json.dumps({"store": kind, "case": "server peak RSS", "mib": rss,
                          "events": n + len(times)}), flush=True)
    finally:
        server.terminate()
        try: server.wait(timeout=30)
        except subprocess.TimeoutExpired: server.kill()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
