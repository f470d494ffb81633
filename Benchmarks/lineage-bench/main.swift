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
    subcommands: [SimilarityBench.self, LoadBench.self])
}

/// Wall-clock seconds of the best of `repeats` runs of `body`.
func best<T>(_ repeats: Int, _ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
  var bestTime = Double.infinity
  var value: T?
  for _ in 0..<max(1, repeats) {
    let start = ContinuousClock.now
    let v = try body()
    let d = ContinuousClock.now - start
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    if s < bestTime { bestTime = s }
    value = v
  }
  return (bestTime, value!)
}

/// Prints a result as one JSON line on stdout and a readable line on stderr.
func report(_ name: String, size: Int, seconds: Double, check: String, ok: Bool, extra: [String: String] = [:]) {
  var fields = ["\"case\":\"\(name)\"", "\"size\":\(size)", "\"seconds\":\(String(format: "%.4f", seconds))",
                "\"check\":\"\(check)\"", "\"ok\":\(ok)"]
  for (k, v) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(k)\":\"\(v)\"") }
  print("{" + fields.joined(separator: ",") + "}")
  FileHandle.standardError.write(Data(String(format: "%-28@ %9d  %8.3f s  %@ %@\n", name as NSString, size, seconds,
                                             (ok ? "ok" : "WRONG") as NSString, check as NSString).utf8))
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
    let (seconds, pairs) = best(repeats) { SchemaSimilarity.similarPairs(items, threshold: 0.8) }
    let found = Set(pairs.map { "\($0.first)-\($0.second)" })
    var expected = 0, hit = 0
    for (a, b) in planted {
      let x = Set(items[a].columns.map(SchemaSimilarity.normalize)), y = Set(items[b].columns.map(SchemaSimilarity.normalize))
      guard items[a].group != items[b].group, Double(x.intersection(y).count) / Double(x.union(y).count) >= 0.8 else { continue }
      expected += 1
      if found.contains("\(min(a, b))-\(max(a, b))") { hit += 1 }
    }
    let recall = expected == 0 ? 1 : Double(hit) / Double(expected)
    report("schema-similarity", size: products, seconds: seconds,
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
    let (seconds, model) = try best(repeats) { try ModelLoader.load(path: path) }
    let ok = model.graph.nodeCount == nodes && model.graph.edgeCount == edges
    let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    report(name, size: model.graph.nodeCount, seconds: seconds,
           check: "\(model.graph.nodeCount) nodes, \(model.graph.edgeCount) edges (expected \(nodes), \(edges))", ok: ok,
           extra: ["bytes": String(bytes ?? 0)])
    if !ok { throw ExitCode(1) }
  }
}
