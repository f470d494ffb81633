#!/usr/bin/env python3
"""`lineage serve` soak: the faults of a long life, over and over, for MINUTES.

Each round starts the server on the same store, with 8 producers posting events (one
per request, a batch now and then, gzip bodies now and then; a 503 is retried, as
openlineage-python's client does) and a client asking questions meanwhile, then ends
it at a random moment: `kill -9` most often, SIGTERM sometimes (which must exit 0).
Now and then a round fills the disk instead (SQLite: a file-size limit on the server
process, `prlimit --fsize`, lifted after the producers got 503s), or sends hostile
bodies (deep JSON, a body past the limit, a gzip bomb, invalid UTF-8, cut gzip), each
of which must get a 4xx while the server goes on.

After every round the server is started again on the store and checked: every event
that got a 201 is there, every event stored was posted, and none is half-applied (each
stored event gave both of its datasets). Questions during a round answer 200, or 503
while the store cannot take writes; nothing else.

Prints one JSON object per round and a summary; exits 1 at the first broken promise.
`make soak` runs it (SOAK_MINUTES, 10 by default; PostgreSQL too when
LINEAGE_TEST_POSTGRES is set, without the full-disk rounds).
"""
import argparse, gzip, http.client, json, os, random, re, shutil, signal, subprocess, sys, tempfile, threading, time


def event(i):
    ms = 1_700_000_000_000 + i
    t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)
    return {
        "eventType": "COMPLETE", "eventTime": t,
        "run": {"runId": "00000000-0000-4000-8000-%012d" % i},
        "job": {"namespace": "soak", "name": "job%d" % i},
        "inputs": [{"namespace": "soak", "name": "in%d" % i}],
        "outputs": [{"namespace": "soak", "name": "out%d" % i}],
        "producer": "https://example.com/soak",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
    }


class Broken(Exception):
    pass


class Server:
    def __init__(self, lineage, store, work, limit=None):
        command = [lineage, "serve", "--store", store, "--port", "0"]
        if limit is not None:
            # SIGXFSZ at its default (a shell's), a soft limit the soak lifts later.
            command = ["env", "--default-signal=XFSZ", "prlimit", "--fsize=%d:unlimited" % limit, "--"] + command
        self.p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=work)
        deadline = time.time() + 300
        while time.time() < deadline:
            line = self.p.stdout.readline().decode(errors="replace")
            if not line:
                break
            m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                threading.Thread(target=lambda: [None for _ in self.p.stdout], daemon=True).start()
                return
        self.p.kill()
        raise Broken("the server did not start")

    def conn(self, timeout=60):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path):
        c = self.conn(300)
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            raise Broken("SIGTERM did not stop the server within 60 s")

    def kill(self):
        self.p.kill()
        self.p.wait()


class Load:
    """Producers posting events from a shared counter, and a client asking questions."""

    def __init__(self, server, first, rng, known=None, producers=8):
        self.server, self.next, self.known, self.rng = server, first, known, rng
        self.accepted, self.posted, self.refused, self.bad = set(), set(), 0, []
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.retry = []
        # Each thread's seed drawn here, so that --seed gives the same draws.
        self.threads = [threading.Thread(target=self.produce, args=(rng.random(),)) for _ in range(producers)]
        self.threads.append(threading.Thread(target=self.ask, args=(rng.random(),)))

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.done.set()
        for t in self.threads:
            t.join()

    def take(self, n):
        with self.lock:
            ids = self.retry[:n]
            del self.retry[:n]
            while len(ids) < n:
                ids.append(self.next)
                self.next += 1
            self.posted.update(ids)
            return ids

    def produce(self, seed):
        rng = random.Random(seed)
        c = self.server.conn()
        while not self.done.is_set() and self.server.p.poll() is None:
            try:
                batch = rng.random() < 0.1
                ids = self.take(rng.randint(2, 5) if batch else 1)
                body = json.dumps([event(i) for i in ids] if batch else event(ids[0])).encode()
                headers = {"Content-Type": "application/json"}
                if rng.random() < 0.2:
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                c.request("POST", "/api/v1/lineage/batch" if batch else "/api/v1/lineage", body=body, headers=headers)
                r = c.getresponse()
                text = r.read()
                with self.lock:
                    if r.status in (200, 201):
                        self.accepted.update(ids)
                    elif r.status == 503:
                        self.refused += 1
                        self.retry.extend(ids)
                    else:
                        self.bad.append("POST %s: %d %s" % (ids, r.status, text[:200]))
                if r.status == 503:
                    time.sleep(0.05)
            except (OSError, http.client.HTTPException):
                # The server is gone (what was in flight may or may not be stored), or
                # closed the connection: a new one, while it runs.
                c.close()
                c = self.server.conn()
                time.sleep(0.01)

    def ask(self, seed):
        rng = random.Random(seed)
        try:
            c = self.server.conn(300)
            while not self.done.is_set():
                # Events taken before this round or in it: their nodes are there.
                with self.lock:
                    known = self.known if rng.random() < 0.5 else None
                    if known is None and self.accepted:
                        known = next(iter(self.accepted))
                paths = ["/api/mesh/stats", "/healthz"]
                if known is not None:
                    paths += ["/api/v1/lineage?nodeId=dataset:soak:out%d&depth=2" % known,
                              "/api/mesh/downstream?selector=id:soak:in%d&depth=2" % known]
                path = rng.choice(paths)
                c.request("GET", path)
                r = c.getresponse()
                text = r.read()
                # 503: the store cannot be read back.
                if r.status not in (200, 503):
                    with self.lock:
                        self.bad.append("GET %s: %d %s" % (path, r.status, text[:200]))
                time.sleep(0.02)
        except (OSError, http.client.HTTPException):
            pass


def check(server, accepted, posted):
    """Every 201 stored, every stored event posted, none half-applied."""
    status, body = server.get("/healthz")
    stored = int(re.search(rb'"events":(\d+)', body).group(1))
    status, body = server.get("/api/mesh/select?selector=kind:dataset")
    if status != 200:
        raise Broken("select after a restart: %d %s" % (status, body[:300]))
    ids = {n["id"] for n in json.loads(body)["nodes"]}
    outs = {int(x[len("soak:out"):]) for x in ids if x.startswith("soak:out")}
    ins = {int(x[len("soak:in"):]) for x in ids if x.startswith("soak:in")}
    missing = sorted(accepted - outs)
    if missing:
        raise Broken("events that got a 201 are gone: %s" % missing[:10])
    if outs != ins or len(ids) != 2 * stored or len(outs) != stored:
        raise Broken("half-applied events: %d stored, %d outputs, %d inputs" % (stored, len(outs), len(ins)))
    if not outs <= posted:
        raise Broken("events stored that were never posted: %s" % sorted(outs - posted)[:10])
    return stored


def hostile(server):
    """Bodies that must get a 4xx, the server going on."""
    cases = [
        ("deep JSON", b"[" * 100_000, {}),
        ("past the body limit", b'{"eventType":"' + b"x" * (33 << 20) + b'"}', {}),
        ("a gzip bomb", gzip.compress(b"[" + b" " * (64 << 20) + b"]"), {"Content-Encoding": "gzip"}),
        ("invalid UTF-8", b'{"eventType":"COMPLETE","job":{"namespace":"\xff\xfe","name":"j"}}', {}),
        ("cut gzip", gzip.compress(json.dumps(event(0)).encode())[:-9], {"Content-Encoding": "gzip"}),
        ("not an event", b'{"hello":"world"}', {}),
    ]
    for name, body, headers in cases:
        c = server.conn(120)
        try:
            c.request("POST", "/api/v1/lineage", body=body, headers=dict(headers, **{"Content-Type": "application/json"}))
            r = c.getresponse()
            r.read()
            status = r.status
        except (OSError, http.client.HTTPException):
            status = None  # the server may close a connection whose body it will not read
        if status is not None and not 400 <= status < 500:
            raise Broken("%s: %s, not a 4xx" % (name, status))
        if server.p.poll() is not None:
            raise Broken("%s: the server died" % name)
        if server.get("/healthz")[0] != 200:
            raise Broken("%s: the server stopped answering" % name)


def largest_file(work):
    # The limit is on each file the server writes: the database, its WAL (reused from
    # its start after each checkpoint), the file of bodies.
    return max((os.path.getsize(os.path.join(work, f)) for f in os.listdir(work)), default=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lineage", required=True)
    ap.add_argument("--store", default="sqlite", help="sqlite, or a postgres:// URL")
    ap.add_argument("--database", help="with a postgres:// URL: the (empty) database to use instead of the URL's")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    lineage = os.path.abspath(a.lineage)
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="lineage-soak-")
    sqlite = a.store == "sqlite"
    store = "sqlite:" + os.path.join(work, "events.db") if sqlite else a.store
    if not sqlite and a.database:
        from urllib.parse import urlsplit
        store = urlsplit(store)._replace(path="/" + a.database).geturl()
    accepted, posted = set(), set()
    end = time.time() + a.minutes * 60
    totals = {"rounds": 0, "kills": 0, "terms": 0, "full": 0, "hostile": 0, "refused": 0}
    n = 0
    try:
        while time.time() < end:
            n += 1
            kind = "full" if sqlite and n % 4 == 0 else "hostile" if n % 3 == 0 else "load"
            limit = largest_file(work) + 300_000 if kind == "full" else None
            server = Server(lineage, store, work, limit)
            load = Load(server, max(posted, default=-1) + 1, rng, known=max(accepted, default=None))
            load.start()
            if kind == "hostile":
                hostile(server)
                totals["hostile"] += 1
            if kind == "full":
                # Until the producers are refused, then room again: their retries are taken.
                deadline = time.time() + 60
                while load.refused < 20 and time.time() < deadline:
                    time.sleep(0.05)
                if load.refused < 20:
                    raise Broken("the full disk refused no events")
                if server.get("/healthz")[0] != 200:
                    raise Broken("the server stopped answering with a full disk")
                subprocess.run(["prlimit", "--pid", str(server.p.pid), "--fsize=unlimited"], check=True)
                totals["full"] += 1
            time.sleep(rng.uniform(0.5, 3.0))
            if rng.random() < 0.2:
                load.done.set()
                status = server.stop()
                if status != 0:
                    raise Broken("SIGTERM: exit status %d" % status)
                totals["terms"] += 1
            else:
                server.kill()
                totals["kills"] += 1
            load.join()
            if load.bad:
                raise Broken("; ".join(load.bad[:5]))
            accepted |= load.accepted
            posted |= load.posted
            totals["refused"] += load.refused
            again = Server(lineage, store, work)
            stored = check(again, accepted, posted)
            if again.stop() != 0:
                raise Broken("SIGTERM after the check: not exit 0")
            totals["rounds"] += 1
            print(json.dumps({"store": "sqlite" if sqlite else "postgres", "round": n, "kind": kind,
                              "accepted": len(load.accepted), "refused": load.refused, "stored": stored}), flush=True)
    except Broken as e:
        print(json.dumps({"store": "sqlite" if sqlite else "postgres", "round": n, "broken": str(e)}), flush=True)
        sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(dict(totals, store="sqlite" if sqlite else "postgres", accepted=len(accepted),
                          posted=len(posted), ok=True)), flush=True)


if __name__ == "__main__":
    main()
