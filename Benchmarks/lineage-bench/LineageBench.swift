import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders

/// `lineage-bench`: times the engine on generated inputs, checks each answer, and
/// prints one JSON object per measurement (and a table on stderr).
@main
struct LineageBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lineage-bench",
    abstract: "Benchmarks of the MeshLineage engine, with their answers checked.",
    subcommands: [GraphBench.self, SimilarityBench.self, LoadBench.self, WorkflowBench.self, SQLBench.self])
}

/// Wall-clock seconds of `repeats` runs of `body`: their median, as the peers' harness
/// (shared/bench/peers.py) reports, so that ratios compare like with like.
func median<T>(_ repeats: Int, _ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
  var times: [Double] = []
  func timed() throws -> T {
    let start = ContinuousClock.now
    let v = try body()
    let d = ContinuousClock.now - start
    times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    return v
  }
  var value = try timed()
  for _ in 1..<max(1, repeats) { value = try timed() }
  times.sort()
  let mid = times.count / 2
  return (times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2, value)
}

/// Prints a result as one JSON line on stdout and a readable line on stderr.
func report(_ name: String, size: Int, seconds: Double, check: String, ok: Bool, extra: [String: String] = [:]) {
  var fields = [
    "\"case\":\"\(name)\"", "\"size\":\(size)", "\"seconds\":\(String(format: "%.6f", seconds))",
    "\"check\":\"\(check)\"", "\"ok\":\(ok)", "\"rss_mib\":\(peakRSSMiB())",
  ]
  for (k, v) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(k)\":\"\(v)\"") }
  print("{" + fields.joined(separator: ",") + "}")
  FileHandle.standardError.write(
    Data(
      String(
        format: "%-28@ %9d  %8.3f s  %@ %@\n", name as NSString, size, seconds,
        (ok ? "ok" : "WRONG") as NSString, check as NSString
      ).utf8))
}

/// The process's peak resident set size so far (VmHWM), in MiB.
func peakRSSMiB() -> Int {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
  }
  return 0
}

struct BenchRNG: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Schema similarity (`lineage owners`) over generated products with planted
/// near-duplicates across domains.
struct SimilarityBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similarity",
    abstract: "MinHash/LSH schema similarity over N generated products; checks recall of planted near-duplicates.")

  @Option(help: "Number of products.") var products = 100_000
  @Option(help: "Runs; the best time counts.") var repeats = 3

  func run() throws {
    var rng = BenchRNG(state: 42)
    // Column names: a Zipf-like vocabulary, so that `id`, `created_at`, ... are common.
    let vocabulary = 20_000
    func name() -> String {
      let u = Double.random(in: 0..<1, using: &rng)
      return "col_\(Int(pow(Double(vocabulary), u)) - 1)"
    }
    var items: [SchemaSimilarity.Item] = []
    items.reserveCapacity(products)
    var planted: [(Int, Int)] = []
    for i in 0..<products {
      if i % 100 == 99 {
        // A near-duplicate of an earlier product in another domain: one column swapped.
        let j = Int.random(in: 0..<(i - 1), using: &rng)
        var cols = items[j].columns
        if cols.count > 8 { cols[cols.count - 1] = "dup_\(i)" }
        items.append(.init(group: "d\((i + 7) % 20 == j % 20 ? (i + 8) % 20 : (i + 7) % 20)", columns: cols))
        planted.append((j, i))
        continue
      }
      var cols = Set<String>()
      let count = Int.random(in: 5...30, using: &rng)
      while cols.count < count { cols.insert(name()) }
      items.append(.init(group: "d\(i % 20)", columns: cols.sorted()))
    }
    let (seconds, pairs) = median(repeats) { SchemaSimilarity.similarPairs(items, threshold: 0.8) }
    let found = Set(pairs.map { "\($0.first)-\($0.second)" })
    var expected = 0, hit = 0
    for (a, b) in planted {
      let x = Set(items[a].columns.map(SchemaSimilarity.normalize)),
        y = Set(items[b].columns.map(SchemaSimilarity.normalize))
      guard items[a].group != items[b].group, Double(x.intersection(y).count) / Double(x.union(y).count) >= 0.8 else {
        continue
      }
      expected += 1
      if found.contains("\(min(a, b))-\(max(a, b))") { hit += 1 }
    }
    let recall = expected == 0 ? 1 : Double(hit) / Double(expected)
    report(
      "schema-similarity", size: products, seconds: seconds,
      check: "recall \(hit)/\(expected) planted pairs, \(pairs.count) pairs", ok: recall >= 0.99,
      extra: ["recall": String(format: "%.4f", recall)])
    if recall < 0.99 { throw ExitCode(1) }
  }
}

/// Loading any input `--mesh` reads (a dbt manifest, OpenLineage events, graph JSON,
/// a mesh directory), from bytes on disk to the built model; checks the counts.
struct LoadBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "load", abstract: "Load an input into the model; check its node and edge counts.")

  @Argument(help: "The input file or directory.") var path: String
  @Option(help: "Expected number of nodes.") var nodes: Int
  @Option(help: "Expected number of edges.") var edges: Int
  @Option(help: "A name for the case.") var name = "load"
  @Option(help: "Runs; the best time counts.") var repeats = 3

  func run() throws {
    let (seconds, model) = try median(repeats) { try ModelLoader.load(path: path) }
    let ok = model.graph.nodeCount == nodes && model.graph.edgeCount == edges
    let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    report(
      name, size: model.graph.nodeCount, seconds: seconds,
      check: "\(model.graph.nodeCount) nodes, \(model.graph.edgeCount) edges (expected \(nodes), \(edges))", ok: ok,
      extra: ["bytes": String(bytes)])
    if !ok { throw ExitCode(1) }
  }
}

/// The operations of `shared/bench` on the graphs of gen_lineage.py, with every
/// answer checked against the values in shared/bench/README.md.
struct GraphBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "load, down, up, down_depth, topo, scc, cycle and blast on lineage-<size>.json; answers checked.")

  @Option(help: "Directory of gen_lineage.py output.") var dataDir = "/tmp/lineage-bench-data"
  @Option(help: "Sizes, comma-separated (1k, 10k, 100k, 1m).") var sizes = "10k,100k,1m"
  @Option(help: "Runs of each fast operation; the best time counts.") var repeats = 5
  @Option(help: "Exact blast radius up to this many nodes; approximate above.") var exactBlastLimit = 200_000

  /// shared/bench/README.md, section 2.
  struct Expected {
    var down: Int, up: Int, depth: Int, blastSum: Int64, blastMax: Int64, scc: Int, nontrivial: Int, largest: Int
  }
  static let expected: [String: Expected] = [
    "1k": Expected(
      down: 337, up: 588, depth: 244, blastSum: 57_857, blastMax: 441, scc: 949, nontrivial: 4, largest: 25),
    "10k": Expected(
      down: 3_363, up: 2_764, depth: 2_007, blastSum: 2_054_540, blastMax: 3_742, scc: 9_823, nontrivial: 3,
      largest: 172),
    "100k": Expected(
      down: 37_002, up: 19_958, depth: 20_665, blastSum: 89_066_798, blastMax: 37_003, scc: 99_975, nontrivial: 5,
      largest: 16),
    "1m": Expected(
      down: 343_528, up: 80_993, depth: 120_036, blastSum: 3_195_650_808, blastMax: 371_045, scc: 999_969,
      nontrivial: 5, largest: 21),
  ]

  func run() throws {
    var failed = false
    for size in sizes.split(separator: ",").map(String.init) {
      guard let want = Self.expected[size] else { throw ValidationError("unknown size \(size)") }
      let base = "\(dataDir)/lineage-\(size)"
      let metaData = try Data(contentsOf: URL(fileURLWithPath: base + ".meta.json"))
      let meta = try JSONSerialization.jsonObject(with: metaData) as? [String: Any] ?? [:]
      let queries = (meta["stats"] as? [String: Any])?["queries"] as? [String: Any] ?? [:]
      let qDown = queries["down"] as? String ?? "", qUp = queries["up"] as? String ?? ""
      func check(_ name: String, _ seconds: Double, _ got: String, _ expected: String, extra: [String: String] = [:]) {
        let ok = got == expected
        if !ok { failed = true }
        report(
          name, size: Int(want.scc > 0 ? sizeValue(size) : 0), seconds: seconds,
          check: ok ? got : "\(got) (expected \(expected))", ok: ok, extra: extra)
      }
      // Read the file once untimed, so that the load measures parsing and building, not
      // the disk (the peers run later in the same `make bench` and find it cached).
      _ = try Data(contentsOf: URL(fileURLWithPath: base + ".json")).count
      let (loadTime, model) = try median(max(1, repeats / 2)) { try ModelLoader.load(path: base + ".json") }
      let g = model.graph
      check("load", loadTime, "\(g.nodeCount) nodes", "\(sizeValue(size)) nodes")
      guard let down = g.index(of: qDown), let up = g.index(of: qUp) else {
        fatalError("\(base).json has no \(qDown) or \(qUp): regenerate it with Benchmarks/gen_lineage.py")
      }
      let (dt, dr) = median(repeats) { g.forward.breadthFirst(from: [down]) }
      check("down", dt, "\(dr.nodes.count - 1)", "\(want.down)")
      let (ut, ur) = median(repeats) { g.reverse.breadthFirst(from: [up]) }
      check("up", ut, "\(ur.nodes.count - 1)", "\(want.up)")
      let (d3t, d3) = median(repeats) { g.forward.breadthFirst(from: [down], maxDepth: 3) }
      check("down_depth", d3t, "\(d3.nodes.count - 1)", "\(want.depth)")
      let (tt, order) = median(repeats) { g.forward.topologicalOrder() }
      var valid = order?.count == g.nodeCount
      if let order, valid {
        var pos = [Int32](repeating: 0, count: g.nodeCount)
        for (i, v) in order.enumerated() { pos[Int(v)] = Int32(i) }
        for v in 0..<Int32(g.nodeCount) {
          for w in g.forward.neighbors(v) where pos[Int(w)] <= pos[Int(v)] { valid = false }
        }
      }
      check("topo", tt, valid ? "valid" : "invalid", "valid")
      let (bt, blast): (Double, [Int64])
      let exact = g.nodeCount <= exactBlastLimit
      if exact {
        (bt, blast) = median(min(repeats, 3)) { BlastRadius.exact(g.forward) }
        check("blast (exact)", bt, "\(blast.reduce(0, +)) / \(blast.max() ?? 0)", "\(want.blastSum) / \(want.blastMax)")
        // The approximation against the exact counts: its mean relative error.
        let (at, approx) = median(min(repeats, 3)) { BlastRadius.approximate(g.forward, registers: 1024) }
        var sumErr = 0.0, n = 0
        for v in blast.indices where blast[v] >= 100 {
          sumErr += abs(Double(approx[v] - blast[v])) / Double(blast[v])
          n += 1
        }
        let mre = n == 0 ? 0 : sumErr / Double(n)
        if mre >= 0.03 { failed = true }
        report(
          "blast_approx", size: sizeValue(size), seconds: at,
          check: String(format: "mean relative error %.2f %% over %d nodes with >= 100 downstream", mre * 100, n),
          ok: mre < 0.03, extra: ["mre": String(format: "%.4f", mre)])
      } else {
        (bt, blast) = median(min(repeats, 3)) { BlastRadius.approximate(g.forward, registers: 1024) }
        let sum = blast.reduce(0, +)
        let err = abs(Double(sum - want.blastSum)) / Double(want.blastSum)
        let maxErr = abs(Double((blast.max() ?? 0) - want.blastMax)) / Double(want.blastMax)
        // Per node the error is about 3 %; the sum of a million estimates is much closer.
        let ok = err < 0.03 && maxErr < 0.06
        if !ok { failed = true }
        report(
          "blast_approx", size: sizeValue(size), seconds: bt,
          check: String(
            format: "sum %lld (%.2f %% off), max %lld (%.2f %% off)", sum, err * 100, blast.max() ?? 0, maxErr * 100),
          ok: ok)
      }
      // Cycles: the -c5 graph.
      let cyclic = try ModelLoader.load(path: base + "-c5.json").graph
      let (st, scc) = median(repeats) { StronglyConnectedComponents(cyclic.forward) }
      var nontrivial = 0, largest = 0
      for c in 0..<Int32(scc.count) where scc.members.degree(c) > 1 {
        nontrivial += 1
        largest = max(largest, scc.members.degree(c))
      }
      check(
        "scc", st, "\(scc.count) / \(nontrivial) / \(largest)", "\(want.scc) / \(want.nontrivial) / \(want.largest)")
      let (ct, cycles) = median(repeats) { CycleFinder.cycles(in: cyclic) }
      var cycleOK = !cycles.isEmpty
      if let c = cycles.first {
        for (i, v) in c.path.enumerated() {
          let w = c.path[(i + 1) % c.path.count]
          if !cyclic.forward.neighbors(v).contains(w) { cycleOK = false }
        }
      }
      check("cycle", ct, cycleOK ? "valid" : "invalid", "valid")
    }
    if failed { throw ExitCode(1) }
  }

  func sizeValue(_ s: String) -> Int {
    switch s {
    case "1k": 1_000
    case "10k": 10_000
    case "100k": 100_000
    default: 1_000_000
    }
  }
}
