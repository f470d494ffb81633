#!/usr/bin/env python3
"""The lineage server's memory when events outnumber datasets.

Starts `lineage serve` on a fresh SQLite store, posts EVENTS run events of JOBS jobs
(each with a run facet of PAD bytes, so that an event is about PAD + 300 bytes) in
batches of 500 to /api/v1/lineage/batch, then asks one question of the present graph
and one as of a quarter of the way through, and prints the server's resident memory
after the ingest (all of it, and the part not backed by files: RssAnon) and after the
questions (VmRSS), and its peak (VmHWM), as one JSON line.

    python3 Benchmarks/server/server_memory.py --lineage .build/release/lineage --events 150000
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
import uuid


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lineage", required=True)
    ap.add_argument("--events", type=int, default=150_000)
    ap.add_argument("--jobs", type=int, default=100)
    ap.add_argument("--pad", type=int, default=1500)
    ap.add_argument("--run-ids", choices=["uuid", "counter"], default="uuid",
                    help="UUIDs, as OpenLineage clients send, or counters (run-N), which the server "
                         "matches within their job and names in a warning")
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="lineage-memory-")
    server = subprocess.Popen(
        [args.lineage, "serve", "--port", "0", "--store", "sqlite:" + d + "/events.db"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stdout.readline().decode()).group(1))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        base = f"http://127.0.0.1:{port}"

        def time_of(i):
            return f"2024-01-{1 + i // 86400 % 28:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"

        pad = "x" * args.pad

        def run_id(i):
            return f"run-{i}" if args.run_ids == "counter" else str(uuid.UUID(int=i, version=4))
        start = time.time()
        batch = []
        for i in range(args.events):
            j = i % args.jobs
            batch.append({
                "eventTime": time_of(i), "eventType": "COMPLETE",
                "run": {"runId": run_id(i), "facets": {"note": {"_producer": "p", "_schemaURL": "u", "text": pad}}},
                "job": {"namespace": "ns", "name": f"job{j}"},
                "inputs": [{"namespace": "ns", "name": f"in{j}"}], "outputs": [{"namespace": "ns", "name": f"out{j}"}],
                "producer": "p",
                "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"})
            if len(batch) == 500 or i == args.events - 1:
                r = urllib.request.Request(base + "/api/v1/lineage/batch", data=json.dumps(batch).encode(),
                                           method="POST", headers={"Content-Type": "application/json"})
                assert opener.open(r).status == 201
                batch = []
        ingest = time.time() - start

        def rss_kib():
            status = open(f"/proc/{server.pid}/status").read()
            return {k: int(re.search(k + r":\s+(\d+)", status).group(1)) for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile")}
        after_ingest = rss_kib()
        t = time.time()
        opener.open(base + "/api/mesh/select?selector=*").read()
        question = time.time() - t
        t = time.time()
        opener.open(base + "/api/mesh/select?selector=*&asOf=" + time_of(args.events // 4)).read()
        as_of = time.time() - t
        kib = rss_kib()
        print(json.dumps({
            "events": args.events, "jobs": args.jobs, "run_ids": args.run_ids, "ingest_s": round(ingest, 2),
            "question_ms": round(question * 1000), "as_of_ms": round(as_of * 1000),
            "ingested_rss_mib": after_ingest["VmRSS"] // 1024,
            "ingested_anon_mib": after_ingest["RssAnon"] // 1024,
            "rss_mib": kib["VmRSS"] // 1024, "peak_mib": kib["VmHWM"] // 1024}))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
