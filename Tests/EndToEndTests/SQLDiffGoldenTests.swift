import Foundation
import Testing

/// `lineage diff` of two jaffle_shop manifests whose compiled SQL differs: the Markdown
/// comment and the SARIF log, against golden files.
@Suite struct SQLDiffGoldenTests {
  /// The pull request of the example: stg_payments' amount in tenths of a cent (an
  /// expression change), orders no longer selects status (a dropped column), stg_orders
  /// leaves returned orders out (a filter), and customers reformatted (no change).
  static let edits: [(String, String, String)] = [
    ("model.jaffle_shop.stg_payments", "amount / 100 as amount", "amount / 1000 as amount"),
    ("model.jaffle_shop.orders", "orders.status,", ""),
    ("model.jaffle_shop.stg_orders", "    from source\n", "    from source\n    where status <> 'returned'\n"),
    ("model.jaffle_shop.customers", "with customers as (", "-- reformatted\nWITH customers AS ("),
  ]

  /// A scratch directory with `base/` (the bundled manifest and catalog) and `head/`
  /// (the manifest with `edits` applied to the compiled SQL and the raw code).
  static func versions() throws -> String {
    let corpus = CLI.root + "/Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sql-diff-\(UUID().uuidString)").path
    for side in ["base", "head"] {
      try FileManager.default.createDirectory(atPath: dir + "/" + side, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: corpus + "/catalog.json", toPath: dir + "/" + side + "/catalog.json")
    }
    try FileManager.default.copyItem(atPath: corpus + "/manifest.json", toPath: dir + "/base/manifest.json")
    let data = try Data(contentsOf: URL(fileURLWithPath: corpus + "/manifest.json"))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    for (model, old, new) in edits {
      var n = try #require(nodes[model] as? [String: Any])
      let code = try #require(n["compiled_code"] as? String)
      #expect(code.contains(old))
      n["compiled_code"] = code.replacingOccurrences(of: old, with: new)
      // The pull request edits the model's file; where the raw code has the same text,
      // it changes there too (SARIF points at the line in the model's file).
      if let raw = n["raw_code"] as? String { n["raw_code"] = raw.replacingOccurrences(of: old, with: new) }
      nodes[model] = n
    }
    top["nodes"] = nodes
    try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys]).write(
      to: URL(fileURLWithPath: dir + "/head/manifest.json"))
    return dir
  }

  @Test(arguments: [("markdown", "diff-dbt-sql.md"), ("sarif", "diff-dbt-sql.sarif")])
  func goldenOutputs(_ format: String, _ golden: String) throws {
    let dir = try Self.versions()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(
      ["diff", "base/manifest.json", "head/manifest.json", "--format", format, "--today", "2026-11-23"], cwd: dir)
    // The dropped column breaks a test: the gate fails.
    #expect(r.status == 1, "stderr: \(r.stderr)")
    try CLI.expectGolden(r.stdout, golden)
  }

  @Test func gateThresholds() throws {
    let dir = try Self.versions()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["diff", "base/manifest.json", "head/manifest.json", "--format", "json"], cwd: dir)
    let json = try CLI.json(r.stdout)
    let changes = json["changes"] as? [[String: Any]] ?? []
    let kinds = changes.map { "\($0["kind"] as? String ?? "") \($0["status"] as? String ?? "")" }
    #expect(
      kinds == [
        "column-dropped fails", "rows-changed breaking", "column-expression-changed breaking",
      ])
  }
}
