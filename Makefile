# MeshLineage — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/debug/lineage
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The Python environment with the real openlineage-python client that the lineage
# server's end-to-end test drives (Tests/Clients/emit_openlineage.py).
OPENLINEAGE_VENV ?= /tmp/lineage-openlineage-venv

.PHONY: all deps browser screenshots build release test openlineage-client test-postgres test-tools bench soak sanitize fuzz demo clean format lint

all: build

# System libraries, through Debian's packages: Graphviz (libgvc/libcgraph) for diagrams;
# SQLite (libsqlite3-dev) for the lineage server's store, through GRDB.
deps:
	@if ! pkg-config --exists libgvc sqlite3 2>/dev/null; then \
	  echo "installing libgraphviz-dev, libsqlite3-dev and pkg-config"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgraphviz-dev libsqlite3-dev pkg-config >/dev/null; \
	fi

# Headless Chromium and chromedriver (Debian's chromium, chromium-driver) for the web
# explorer's browser tests (Tests/EndToEndTests/ExplorerBrowserTests.swift).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "installing chromium and chromium-driver"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# The explorer's pictures in docs/images (docs/explorer.md), taken in headless Chromium.
screenshots: deps browser
	$(SWIFT) build --build-tests
	LINEAGE_SCREENSHOTS=$(CURDIR)/docs/images $(SWIFT) test --skip-build --filter ExplorerScreenshots

# Every test: unit, property, loader and end-to-end tests of the CLI on samples/.
# Prints a closing "N passed, N failed" line. The explorer's tests run in headless
# Chromium (`make browser`).
test: deps browser
	@mkdir -p .build
	@set -o pipefail; $(SWIFT) build --build-tests 2>&1 | tee .build/build.log
	@# Our targets build without warnings (a fresh build, as in CI, compiles every file).
	@if grep -E "^$(CURDIR)/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" .build/build.log; then \
	  echo "compiler warnings in Sources/ or Tests/ (above): fix them"; exit 1; fi
	@set -o pipefail; $(SWIFT) test --skip-build 2>&1 | tee .build/test.log; status=$$?; \
	  total=$$(grep -oE 'Test run with [0-9]+ test' .build/test.log | grep -oE '[0-9]+' | tail -1); \
	  failed=$$(grep -E '^✘ Test .* failed after' .build/test.log | grep -vc '^✘ Test run' || true); \
	  echo "$$(( $${total:-0} - failed )) passed, $$failed failed"; exit $$status

# The benchmark driver and the fuzz harness are packages of their own (Benchmarks/,
# Fuzz/) that use this one by path; their smoke runs and the replay of
# Fuzz/regressions are `make test-tools`, which CI runs after `make test`.
test-tools: deps
	$(SWIFT) build
	$(SWIFT) build --build-tests --package-path Benchmarks
	LINEAGE_BIN=$(CURDIR)/.build/debug/lineage $(SWIFT) test --skip-build --package-path Benchmarks
	$(SWIFT) build --build-tests --package-path Fuzz
	$(SWIFT) test --skip-build --package-path Fuzz

# The release binary links the Swift runtime and Foundation statically: it starts in
# about 6 ms instead of 12 (no dynamic symbol lookups over a dozen Swift libraries),
# a good part of a warm `validate` (docs/performance.md).
RELEASE_FLAGS ?= --static-swift-stdlib

# The release binary, .build/release/lineage.
release: deps
	$(SWIFT) build -c release --product lineage $(RELEASE_FLAGS)

# Benchmarks on generated inputs, release build; each answer is checked.
BENCH_BIN := Benchmarks/.build/release/lineage-bench
BENCH_DATA ?= /tmp/lineage-bench-data
BENCH_SIZES ?= 10k,100k,1m
PEERS ?= ../shared/bench/peers.py
PEERS_VENV ?= /tmp/lineage-bench-venv
CORPUS ?= ../shared/corpus
SERVER_DATASETS ?= 100000
comma := ,
# The size the end-to-end comparison runs at: the largest of BENCH_SIZES.
E2E_SIZE ?= $(lastword $(subst $(comma), ,$(BENCH_SIZES)))

# Benchmarks, release build, every answer checked: the shared/bench graph operations
# at $(BENCH_SIZES), the peers (igraph, rustworkx) on the same files in the same run,
# a table of ratios; schema similarity at 100,000 products; 100 MB importer inputs.
bench: deps
	$(SWIFT) build -c release --package-path Benchmarks --product lineage-bench
	$(SWIFT) build -c release --product lineage $(RELEASE_FLAGS)
	@mkdir -p $(BENCH_DATA) out
	@for s in $$(echo $(BENCH_SIZES) | tr , ' '); do \
	  [ -f $(BENCH_DATA)/lineage-$$s-c5.json ] || python3 Benchmarks/gen_lineage.py --sizes $$s --cycles 0,5 --out-dir $(BENCH_DATA) >/dev/null || exit 1; \
	done
	$(BENCH_BIN) graph --data-dir $(BENCH_DATA) --sizes $(BENCH_SIZES) > out/bench-ours.jsonl
	@if [ -f $(PEERS) ]; then \
	  [ -x $(PEERS_VENV)/bin/python ] || { python3 -m venv $(PEERS_VENV) && $(PEERS_VENV)/bin/pip install -q -r $$(dirname $(PEERS))/requirements-peers.txt; }; \
	  small=$$(echo $(BENCH_SIZES) | tr , '\n' | grep -v 1m | paste -sd, -); \
	  [ -z "$$small" ] || LINEAGE_BENCH_DATA=$(BENCH_DATA) $(PEERS_VENV)/bin/python $(PEERS) --libs igraph,rustworkx --sizes $$small --out out/bench-peers-small.json >/dev/null; \
	  if echo $(BENCH_SIZES) | grep -q 1m; then \
	    LINEAGE_BENCH_DATA=$(BENCH_DATA) $(PEERS_VENV)/bin/python $(PEERS) --libs igraph,rustworkx --sizes 1m --ops load,down,up,down_depth,topo,scc,cycle --repeats 3 --out out/bench-peers-1m.json >/dev/null; \
	  fi; \
	  python3 Benchmarks/compare.py --ours out/bench-ours.jsonl --peers out/bench-peers-*.json | tee out/bench-table.md; \
	else \
	  echo "$(PEERS) not found: peers not run"; python3 Benchmarks/compare.py --ours out/bench-ours.jsonl; \
	fi
	@# Whole processes at the largest size: lineage cold (empty graph cache) and warm,
	@# beside whole peer processes on the same files (Benchmarks/endtoend.py).
	python3 Benchmarks/endtoend.py --lineage .build/release/lineage --data-dir $(BENCH_DATA) --sizes $(E2E_SIZE) \
	  $$([ -f $(PEERS) ] && echo --peers $(PEERS) --python $(PEERS_VENV)/bin/python) \
	  --out out/bench-endtoend.jsonl | tee out/bench-endtoend.md
	$(BENCH_BIN) similarity --products 100000
	@[ -f $(BENCH_DATA)/lineage-1k.json ] || python3 Benchmarks/gen_lineage.py --sizes 1k --cycles 0 --out-dir $(BENCH_DATA) >/dev/null
	@[ -f $(BENCH_DATA)/lineage-10k.json ] || python3 Benchmarks/gen_lineage.py --sizes 10k --cycles 0 --out-dir $(BENCH_DATA) >/dev/null
	@[ -f $(BENCH_DATA)/mesh-10k.json ] || python3 Benchmarks/gen_mesh.py --nodes 10000 --out $(BENCH_DATA)/mesh-10k > $(BENCH_DATA)/mesh-10k.json
	@[ -f $(BENCH_DATA)/events-1m.json ] || python3 Benchmarks/gen_events.py --mesh $(BENCH_DATA)/mesh-10k --events 1000000 --out $(BENCH_DATA)/events-1m > $(BENCH_DATA)/events-1m.json
	$(BENCH_BIN) workflows --data-dir $(BENCH_DATA) --corpus $(CORPUS) --lineage .build/release/lineage > out/bench-workflows.jsonl
	@[ -f $(BENCH_DATA)/manifest-100mb.json ] || python3 Benchmarks/gen_inputs.py --out-dir $(BENCH_DATA) --mb 100 > $(BENCH_DATA)/counts.jsonl
	@while read -r line; do \
	  file=$$(echo "$$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])'); \
	  nodes=$$(echo "$$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["nodes"])'); \
	  edges=$$(echo "$$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["edges"])'); \
	  $(BENCH_BIN) load "$$file" --nodes $$nodes --edges $$edges --name "load $$(basename $$file)" --repeats 1 || exit 1; \
	done < $(BENCH_DATA)/counts.jsonl
	@mkdir -p out/sql-lineage
	$(BENCH_BIN) sql --corpus $(CORPUS) --data-dir $(BENCH_DATA) --dump out/sql-lineage/ours.json > out/bench-sql.jsonl
	@venv=$${SQL_PEERS_VENV:-/tmp/lineage-sql-peers-venv}; \
	  [ -x $$venv/bin/python ] || { python3 -m venv $$venv && $$venv/bin/pip install -q -r Benchmarks/sql/requirements-sql-peers.txt; } || exit 1; \
	  $$venv/bin/python Benchmarks/sql/peers_sql.py --corpus $(CORPUS) --ours out/bench-sql.jsonl --dump-dir out/sql-lineage \
	    --out out/bench-sql-peers.json --table out/bench-sql-table.md
	python3 Benchmarks/sql/crosscheck_sql.py --corpus $(CORPUS) --dumps out/sql-lineage --out out/sql-crosscheck.json > out/sql-crosscheck.md
	@head -9 out/sql-crosscheck.md
	@venv=$${DIFF_PEERS_VENV:-/tmp/lineage-diff-peers-venv}; \
	  [ -x $$venv/bin/dbt ] || { python3 -m venv $$venv && $$venv/bin/pip install -q -r Benchmarks/diff/requirements-diff-peers.txt; } || exit 1; \
	  python3 Benchmarks/diff/diff_bench.py --corpus $(CORPUS) --lineage .build/release/lineage --dbt $$venv/bin/dbt | tee out/bench-diff.jsonl
	@# The lineage server: ingest from 8 producers and query latency on a 100,000-dataset
	@# history (SERVER_DATASETS), SQLite; PostgreSQL too when LINEAGE_TEST_POSTGRES is set.
	python3 Benchmarks/server/server_bench.py --lineage .build/release/lineage --datasets $(SERVER_DATASETS) | tee out/bench-server.jsonl
	@if [ -n "$$LINEAGE_TEST_POSTGRES" ]; then \
	  python3 Benchmarks/server/server_bench.py --lineage .build/release/lineage --datasets $(SERVER_DATASETS) \
	    --store "$$LINEAGE_TEST_POSTGRES" | tee -a out/bench-server.jsonl; fi
	@# Events that outnumber datasets: 150,000 events of 100 jobs (memory, a question, asOf).
	python3 Benchmarks/server/server_memory.py --lineage .build/release/lineage | tee out/bench-server-memory.jsonl

# The lineage server's long soak (Benchmarks/server/server_soak.py): kill -9 and SIGTERM
# under an 8-producer load, a full disk, hostile bodies, round after round for
# SOAK_MINUTES, every event that got a 201 checked after each restart; SQLite, and
# PostgreSQL too when LINEAGE_TEST_POSTGRES is set (a database of its own on the same
# server, lineage_soak, made anew on the local cluster as make test-postgres makes its own).
SOAK_MINUTES ?= 10
soak: deps
	$(SWIFT) build -c release --product lineage $(RELEASE_FLAGS)
	python3 Benchmarks/server/server_soak.py --lineage .build/release/lineage --minutes $(SOAK_MINUTES)
	@if [ -n "$$LINEAGE_TEST_POSTGRES" ]; then \
	  $(AS_POSTGRES) dropdb --if-exists lineage_soak && $(AS_POSTGRES) createdb -O lineage lineage_soak && \
	  python3 Benchmarks/server/server_soak.py --lineage .build/release/lineage --minutes $(SOAK_MINUTES) \
	    --store "$$LINEAGE_TEST_POSTGRES" --database lineage_soak; fi

# The test suite under AddressSanitizer (with LeakSanitizer; third-party leaks listed
# in Tests/lsan-suppressions.txt) and under ThreadSanitizer, each in its own build folder;
# then the replay of Fuzz/regressions (the Fuzz package's test) under AddressSanitizer.
# ASan's detection of stack use after return is off: it moves locals whose address is
# taken into a "fake stack" on the heap, and the SQL parser's stack guard
# (LineageSQL/StackGuard.swift) measures the stack from such a local, so under it the
# guard stopped parsing at random (parse errors) or never (a stack overflow).
ASAN_RUN := ASAN_OPTIONS=detect_stack_use_after_return=0 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt:print_suppressions=0
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	$(ASAN_RUN) $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) build --build-tests --sanitize=address --package-path Fuzz --scratch-path $(CURDIR)/.build-asan-fuzz
	$(ASAN_RUN) $(SWIFT) test --skip-build --sanitize=address --package-path Fuzz --scratch-path $(CURDIR)/.build-asan-fuzz

# libFuzzer on each parser for FUZZ_SECONDS (default 60) each: the mesh spec loader,
# the selector parser, graph JSON, dbt, OpenLineage, ODCS/ODPS, and the SQL front end. Crashes land in
# out/fuzz/; keep them in Fuzz/regressions, which the test suite replays.
FUZZ_SECONDS ?= 60
FUZZ_BIN := .build-fuzz/x86_64-unknown-linux-gnu/debug/lineage-fuzz
fuzz: deps
	$(SWIFT) build --package-path Fuzz --product lineage-fuzz --scratch-path $(CURDIR)/.build-fuzz \
	  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
	  -Xswiftc -DFUZZING -Xlinker $$(ls /opt/swift/usr/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1) -Xlinker -lstdc++
	@mkdir -p out/fuzz
	@python3 Fuzz/seeds.py out/fuzz/seeds >/dev/null
	@for t in meshSpec selector graphJSON dbt openLineage contract sql; do \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; mkdir -p out/fuzz/corpus-$$t; \
	  LINEAGE_FUZZ_TARGET=$$t LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt:print_suppressions=0 \
	    $(FUZZ_BIN) out/fuzz/corpus-$$t out/fuzz/seeds Fuzz/regressions -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	    -max_len=65536 -timeout=10 -artifact_prefix=out/fuzz/$$t- -print_final_stats=1 2>&1 | grep -E "ERROR|SUMMARY|stat::number_of_executed_units|Test unit written" || true; \
	done; ls out/fuzz/*-crash-* out/fuzz/*-leak-* out/fuzz/*-timeout-* out/fuzz/*-oom-* 2>/dev/null && exit 1 || echo "no crashes"

# Builds the tool and runs it on the sample meshes.
demo: build
	@run() { echo; echo "\$$ lineage $$*"; $(BIN) "$$@"; echo "(exit status $$?)"; }; \
	run validate --mesh samples/demo; \
	run downstream crm.customers --depth 2 --mesh samples/demo; \
	run upstream sales.sales_dashboard --mesh samples/demo; \
	run downstream crm.customers.email --mesh samples/demo; \
	run select 'domain:finance,kind:consumer' 'tag:pii' --mesh samples/demo; \
	run stats --mesh samples/demo; \
	run validate --mesh samples/faulty; \
	run owners --mesh samples/faulty; \
	run cycles --mesh samples/faulty; \
	mkdir -p out/diagrams; \
	run render --mesh samples/demo -o out/diagrams/demo-products.svg; \
	run render --mesh samples/demo --level domain -o out/diagrams/demo-domains.svg; \
	run render --mesh samples/demo --focus sales.orders --upstream 1 --downstream 2 -o out/diagrams/demo-focus-orders.svg; \
	run render --mesh samples/demo --level column --focus crm.customers --upstream 1 --downstream 1 -o out/diagrams/demo-columns.svg; \
	run render --mesh samples/faulty -o out/diagrams/faulty-cycle.png; \
	run render --mesh samples/demo --focus sales.orders --format mermaid -o out/diagrams/demo-focus-orders.mmd; \
	echo; echo "diagrams written to out/diagrams/:"; ls out/diagrams; \
	true

clean:
	rm -rf .build

# Style: `make format` rewrites the layout as .swift-format says; `make lint` is what
# CI runs (--strict: any finding fails).
FORMAT_PATHS := Sources Tests Benchmarks Fuzz Package.swift
format:
	$(SWIFT) format format --parallel --recursive --in-place $(FORMAT_PATHS)
lint:
	$(SWIFT) format lint --strict --parallel --recursive $(FORMAT_PATHS)

openlineage-client:
	@[ -x $(OPENLINEAGE_VENV)/bin/python ] && $(OPENLINEAGE_VENV)/bin/python -c 'import openlineage.client' 2>/dev/null || { \
	  python3 -m venv $(OPENLINEAGE_VENV) && $(OPENLINEAGE_VENV)/bin/pip install -q openlineage-python==1.54.0; }

# A PostgreSQL database for the lineage server's store tests (Debian's postgresql,
# a cluster started here, role and database 'lineage'/'lineage_test'); the tests read
# LINEAGE_TEST_POSTGRES=postgres://lineage:lineage@127.0.0.1:5432/lineage_test.
AS_POSTGRES := $(if $(SUDO),sudo -u postgres,runuser -u postgres --)
test-postgres:
	@command -v pg_ctlcluster >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null; }
	@v=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  [ -d /etc/postgresql/$$v/main ] || $(SUDO) pg_createcluster $$v main >/dev/null; \
	  $(SUDO) pg_ctlcluster $$v main start 2>/dev/null || $(SUDO) pg_ctlcluster $$v main status >/dev/null
	@for i in 1 2 3 4 5 6 7 8 9 10; do $(AS_POSTGRES) psql -qc 'select 1' >/dev/null 2>&1 && break; sleep 1; done
	@$(AS_POSTGRES) psql -qc "DO \$$\$$BEGIN CREATE ROLE lineage LOGIN PASSWORD 'lineage'; EXCEPTION WHEN duplicate_object THEN NULL; END\$$\$$" >/dev/null
	@$(AS_POSTGRES) psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'lineage_test'" | grep -q 1 || \
	  $(AS_POSTGRES) createdb -O lineage lineage_test
