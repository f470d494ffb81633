import Foundation
import Testing

/// Outputs that fit where they go, through the command line: a Markdown comment of a
/// large dbt project's diff within GitHub's limit (with the whole report beside it),
/// Mermaid within Mermaid's default limits, a removed dbt test that does not fail the
/// gate, and OpenLineage findings at their events' lines.
@Suite struct OutputLimitCLITests {
  /// The largest real manifest of the corpus (Flipside's ethereum models, 667 nodes).
  static let ethereum = CLI.root + "/../shared/corpus/dbt_flipside_ethereum_models_2022/docs"
  static var ethereumAbsent: Bool { !FileManager.default.fileExists(atPath: ethereum + "/manifest.json") }

  /// A scratch directory with `base/` (the manifest at `dir`, and its catalog) and
  /// `head/` (the manifest with `edit` applied to its nodes).
  static func versions(_ dir: String, _ edit: (inout [String: Any]) throws -> Void) throws -> String {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)").path
    for side in ["base", "head"] {
      try FileManager.default.createDirectory(atPath: out + "/" + side, withIntermediateDirectories: true)
      if FileManager.default.fileExists(atPath: dir + "/catalog.json") {
        try FileManager.default.copyItem(atPath: dir + "/catalog.json", toPath: out + "/" + side + "/catalog.json")
      }
    }
    try FileManager.default.copyItem(atPath: dir + "/manifest.json", toPath: out + "/base/manifest.json")
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    try edit(&nodes)
    top["nodes"] = nodes
    try JSONSerialization.data(withJSONObject: top).write(to: URL(fileURLWithPath: out + "/head/manifest.json"))
    return out
  }

  @Test(.enabled(if: !ethereumAbsent, "../shared/corpus is absent"))
  func aLargeProjectsCommentFitsGitHub() throws {
    // bronze__transactions feeds 565 of the 667 nodes: its rows change (a filter) and
    // one of its columns is dropped.
    let dir = try Self.versions(Self.ethereum) { nodes in
      let id = "model.ethereum_models.bronze__transactions"
      var n = try #require(nodes[id] as? [String: Any])
      let code = try #require(n["compiled_code"] as? String ?? n["compiled_sql"] as? String)
      let edited = code.replacingOccurrences(of: "    tx,\n", with: "").replacingOccurrences(
        of: "chainwalkers.prod.ethereum_txs", with: "chainwalkers.prod.ethereum_txs\nWHERE chain_id = 1")
      #expect(edited != code)
      n[n["compiled_code"] != nil ? "compiled_code" : "compiled_sql"] = edited
      nodes[id] = n
    }
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(
      [
        "diff", "base/manifest.json", "head/manifest.json", "--format", "markdown", "--full-report", "full.md",
        "--today", "2026-11-23",
      ], cwd: dir)
    #expect(r.status == 0 || r.status == 1, "stderr: \(r.stderr)")
    let comment = r.stdout
    let whole = try String(contentsOfFile: dir + "/full.md", encoding: .utf8)
    #expect(whole.utf8.count > 65_536)
    #expect(comment.utf8.count <= 65_536)
    #expect(comment.contains("ℹ️ **Shortened** to fit a GitHub comment"))
    #expect(comment.contains("The whole report is in full.md."))
    // Every Mermaid block within Mermaid's default limits.
    let blocks = comment.components(separatedBy: "```mermaid\n").dropFirst().map {
      $0.components(separatedBy: "```")[0]
    }
    for b in blocks {
      #expect(b.utf16.count <= 50_000)
      #expect(b.components(separatedBy: "\n").count { $0.contains("-->") || $0.contains("-.->") } <= 500)
    }
    // Without --full-report the comment says how to get the whole report.
    let plain = try CLI.run(
      ["diff", "base/manifest.json", "head/manifest.json", "--format", "markdown", "--today", "2026-11-23"], cwd: dir)
    #expect(plain.stdout.utf8.count <= 65_536)
    #expect(plain.stdout.contains("--full-report FILE"))
  }

  @Test func aRemovedDBTTestIsANote() throws {
    let jaffle = CLI.root + "/Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target"
    let test = "test.jaffle_shop.unique_orders_order_id.fed79b3a6e"
    let dir = try Self.versions(jaffle) { $0.removeValue(forKey: test) }
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["diff", "base/manifest.json", "head/manifest.json", "--fail-on", "any"], cwd: dir)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("1 change, 0 breaking, gate passed"))
    #expect(r.stdout.contains("ok  \(test)  test-removed  test \(test) removed"))
    #expect(!r.stdout.contains("versions"))
    let sarif = try CLI.run(
      ["diff", "base/manifest.json", "head/manifest.json", "--format", "sarif"], cwd: dir)
    #expect(sarif.stdout.contains(#""ruleId": "test-removed""#))
    #expect(sarif.stdout.contains(#""level": "note""#))
  }

  @Test func renderedMermaidFallsBackToTheDomainLevel() throws {
    // A generated graph of 700 nodes and ~1,400 edges: past maxEdges at the product level.
    var nodes: [String] = []
    var edges: [String] = []
    for i in 0..<700 {
      nodes.append(#"{"id": "d\#(i % 7).n\#(i)", "domain": "d\#(i % 7)"}"#)
      if i > 0 { edges.append(#"["d\#((i - 1) % 7).n\#(i - 1)", "d\#(i % 7).n\#(i)"]"#) }
      if i > 1 { edges.append(#"["d\#((i / 2) % 7).n\#(i / 2)", "d\#(i % 7).n\#(i)"]"#) }
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mermaid-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let graph = #"{"nodes": [\#(nodes.joined(separator: ","))], "edges": [\#(edges.joined(separator: ","))]}"#
    try Data(graph.utf8).write(to: URL(fileURLWithPath: dir + "/g.json"))
    let r = try CLI.run(["render", "--mesh", "g.json", "--format", "mermaid"], cwd: dir)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.utf16.count <= 50_000)
    #expect(r.stdout.contains("domain level"))
    #expect(
      r.stderr.contains("past Mermaid's default limits (maxTextSize 50000, maxEdges 500); showing the domain level"))
    // The same view as SVG is not cut: Graphviz has no such limit.
    let dot = try CLI.run(["render", "--mesh", "g.json", "--format", "dot"], cwd: dir)
    #expect(dot.stdout.contains("product level"))
  }

  @Test func openLineageWarningsAtTheirEventsLines() throws {
    let head = #""eventTime": "2024-01-01T00:00:00Z", "producer": "p", "schemaURL": "s""#
    func event(_ type: String, _ job: String, _ input: String, _ output: String) -> String {
      #"{"eventType": "\#(type)", \#(head), "run": {"runId": "{{RUN_ID}}"}, "job": {"namespace": "n", "name": "\#(job)"}, "inputs": [{"namespace": "n", "name": "\#(input)"}], "outputs": [{"namespace": "n", "name": "\#(output)"}]}"#
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ol-lines-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/events", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(("[\n" + event("START", "j", "a", "b") + "\n]\n").utf8).write(
      to: URL(fileURLWithPath: dir + "/events/1.json"))
    try Data(("\n\n\n" + event("COMPLETE", "j", "c", "d") + "\n").utf8).write(
      to: URL(fileURLWithPath: dir + "/events/2.jsonl"))
    let r = try CLI.run(["validate", "--mesh", "events"], cwd: dir)
    #expect(
      r.stdout.contains("events/1.json:2:1: warning: 1 event in events/1.json carries a run id that is not a UUID"))
    #expect(r.stdout.contains("events/2.jsonl:4:1: warning: 1 event in events/2.jsonl carries a run id"))
    #expect(r.stdout.contains("[run-id-not-uuid]"))
    // Not merged across the files: only the completed run's edge.
    let down = try CLI.run(["downstream", "n:a", "--mesh", "events", "--format", "json"], cwd: dir)
    #expect(try (CLI.json(down.stdout)["count"] as? Int) == 1)
    let c = try CLI.run(["downstream", "n:c", "--mesh", "events", "--format", "json"], cwd: dir)
    #expect(try (CLI.json(c.stdout)["count"] as? Int) == 2)
  }
}
