import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders

/// What users run day to day, on real and generated inputs: loading the corpus's dbt
/// manifests, dbt selection checked against `dbt ls`, `lineage validate` of a
/// 10,000-node mesh spec directory, and rendering. Every answer is checked.
struct WorkflowBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "workflows",
    abstract: "dbt manifests of the corpus, dbt selection against dbt ls, validate of a mesh directory, rendering.")

  @Option(help: "The shared corpus (its dbt_* projects are loaded and their oracles checked); skipped when absent.")
  var corpus = "../shared/corpus"
  @Option(help: "Directory of gen_lineage.py and gen_mesh.py output (lineage-1k.json, lineage-10k.json, mesh-10k/).")
  var dataDir = "/tmp/lineage-bench-data"
  @Option(help: "A gen_mesh.py directory (its counts in DIR.json); default: DATA-DIR/mesh-10k.") var meshDir: String?
  @Option(
    help:
      "A gen_events.py directory of events over the mesh directory (its counts in DIR.json); default: DATA-DIR/events-1m."
  )
  var eventsDir: String?
  @Option(help: "The lineage executable; default: next to this one.") var lineage: String?
  @Option(help: "Runs of each case; the median counts.") var repeats = 5

  /// The dbt projects of the corpus and the node counts the importer gives for them
  /// (the same counts the importer tests check).
  static let projects: [(folder: String, manifest: String, nodes: Int)] = [
    ("dbt_jaffle_shop_classic", "target/manifest.json", 28),
    ("dbt_flipside_ethereum_models_2022", "docs/manifest.json", 683),
    ("dbt_flipside_crosschain_models_2022", "docs/manifest.json", 527),
  ]

  func run() throws {
    var failed = false
    func expect(_ name: String, size: Int, seconds: Double, _ got: String, _ want: String) {
      let ok = got == want
      if !ok { failed = true }
      report(name, size: size, seconds: seconds, check: ok ? got : "\(got) (expected \(want))", ok: ok)
    }

    // 1. The real dbt manifests, and every `dbt ls` oracle of each.
    for p in Self.projects {
      let folder = corpus + "/" + p.folder
      guard FileManager.default.fileExists(atPath: folder + "/" + p.manifest) else {
        FileHandle.standardError.write(Data("skipped: \(folder) is absent\n".utf8))
        continue
      }
      let (lt, model) = try median(repeats) { try ModelLoader.load(path: folder + "/" + p.manifest) }
      let g = model.graph
      expect("dbt load \(p.folder)", size: g.nodeCount, seconds: lt, "\(g.nodeCount) nodes", "\(p.nodes) nodes")
      let oracles = try Oracle.all(in: folder + "/oracle")
      let (st, matched) = try median(repeats) {
        try oracles.filter { o in
          let sel = try Selector.parse([o.select], in: g)
          return g.listed(g.select(sel), eagerTests: o.eager).nodes.map { g.id($0) } == o.ids
        }.count
      }
      expect(
        "dbt select \(p.folder)", size: oracles.count, seconds: st,
        "\(matched)/\(oracles.count) selections equal dbt ls",
        "\(oracles.count)/\(oracles.count) selections equal dbt ls")
    }

    let tool =
      lineage
      ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("lineage").path
    guard FileManager.default.isExecutableFile(atPath: tool) else {
      throw ValidationError("\(tool) is not an executable; build it with `swift build -c release --product lineage`")
    }

    // 2. A 10,000-node mesh spec directory: loaded in process, then `lineage validate`.
    let meshDir = self.meshDir ?? dataDir + "/mesh-10k"
    if let counts = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: meshDir + ".json")))
      as? [String: Any], let nodes = counts["nodes"] as? Int, let edges = counts["edges"] as? Int
    {
      let (lt, model) = try median(repeats) { try ModelLoader.load(path: meshDir) }
      expect(
        "mesh-dir load", size: nodes, seconds: lt, "\(model.graph.nodeCount) nodes, \(model.graph.edgeCount) edges",
        "\(nodes) nodes, \(edges) edges")
      // The generated mesh breaks policies on purpose: validate must exit 1 and summarise.
      let (vt, run) = try median(max(1, repeats / 2)) { try Run(tool, ["validate", "--mesh", meshDir]) }
      let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
      expect(
        "lineage validate", size: nodes, seconds: vt,
        "exit \(run.status), \(summary.hasPrefix("failed: ") && summary.hasSuffix(meshDir) ? "summary line" : summary)",
        "exit 1, summary line")
    } else {
      FileHandle.standardError.write(
        Data("skipped: \(meshDir).json is absent (Benchmarks/gen_mesh.py writes it)\n".utf8))
    }

    // 2b. `lineage drift` of that mesh against generated events with planted drift,
    //     streamed; every rule's count checked against the generator's.
    let eventsDir = self.eventsDir ?? dataDir + "/events-1m"
    if let counts = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: eventsDir + ".json")))
      as? [String: Any], let events = counts["events"] as? Int, let window = counts["window"] as? String,
      let want = counts["findings"] as? [String: Int]
    {
      let (dt, run) = try median(max(1, repeats / 2)) {
        try Run(tool, ["drift", "--mesh", meshDir, "--observed", eventsDir, "--window", window, "--format", "json"])
      }
      let findings =
        ((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any])?["findings"]
        as? [[String: Any]] ?? []
      var got: [String: Int] = [:]
      for f in findings { got[f["rule"] as? String ?? "?", default: 0] += 1 }
      func text(_ c: [String: Int]) -> String {
        c.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      }
      var usage = rusage()
      #if os(Linux)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
      #else
        getrusage(RUSAGE_CHILDREN, &usage)
      #endif
      let ok = run.status == 1 && text(got) == text(want)
      if !ok { failed = true }
      report(
        "lineage drift", size: events, seconds: dt,
        check: ok ? "exit 1, \(text(got))" : "exit \(run.status), \(text(got)) (expected exit 1, \(text(want)))",
        ok: ok,
        extra: ["children_peak_rss_mib": String(usage.ru_maxrss / 1024)])
    } else {
      FileHandle.standardError.write(
        Data("skipped: \(eventsDir).json is absent (Benchmarks/gen_events.py writes it)\n".utf8))
    }

    // 3. Rendering through Graphviz to SVG: the demo, a 1,000-node graph (dot with fast
    //    settings), and a 10,000-node graph (shown at the domain level).
    let out = NSTemporaryDirectory() + "lineage-bench-\(getpid()).svg"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("samples/demo").path
    for (name, input, nodes) in [
      ("render demo", samples, -1), ("render 1k graph", dataDir + "/lineage-1k.json", 1000),
      ("render 10k graph", dataDir + "/lineage-10k.json", 20),
    ] {
      guard FileManager.default.fileExists(atPath: input) else {
        FileHandle.standardError.write(Data("skipped: \(input) is absent\n".utf8))
        continue
      }
      let want = nodes >= 0 ? nodes : try ModelLoader.load(path: input).graph.nodeCount
      let (rt, run) = try median(max(1, repeats / 2)) {
        try Run(tool, ["render", "--mesh", input, "--no-cache", "-o", out])
      }
      let svg = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
      let drawn = svg.components(separatedBy: " class=\"node").count - 1
      expect(
        name, size: want, seconds: rt,
        "exit \(run.status), \(svg.hasSuffix("</svg>\n") ? "complete" : "truncated") svg, \(drawn) nodes",
        "exit 0, complete svg, \(want) nodes")
    }
    if failed { throw ExitCode(1) }
  }
}

/// One run of a command to its exit: status and standard output.
struct Run {
  var status: Int32
  var stdout: String

  init(_ tool: String, _ arguments: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    status = p.terminationStatus
    stdout = String(decoding: data, as: UTF8.self)
  }
}

/// One `dbt ls` result of the corpus (see shared/corpus/ORACLE_FORMAT.md): the
/// selection, the indirect-selection mode and the sorted unique ids.
struct Oracle {
  var select: String
  var eager: Bool
  var ids: [String]

  static func all(in dir: String) throws -> [Oracle] {
    try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted().map { name in
      let lines = try String(contentsOfFile: dir + "/" + name, encoding: .utf8).split(separator: "\n").map(String.init)
      // "# dbt ls --select '+orders' --indirect-selection empty ..."
      let header = lines.first ?? ""
      let select =
        header.components(separatedBy: "--select '").dropFirst().first?.components(separatedBy: "'").first ?? ""
      return Oracle(
        select: select, eager: header.contains("--indirect-selection eager"),
        ids: lines.dropFirst().filter { !$0.isEmpty })
    }
  }
}
