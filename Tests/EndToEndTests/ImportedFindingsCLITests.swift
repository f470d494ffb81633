import Foundation
import Testing

/// `lineage validate` on imported projects, through the command line: the policies a
/// format has no field for are one note per input unless the mesh sets them, and the
/// findings on imported nodes name the node's file.
@Suite struct ImportedFindingsCLITests {
  static let jaffle = "samples/jaffle_shop/target/manifest.json"
  static let ethereum = CLI.root + "/../shared/corpus/dbt_flipside_ethereum_models_2022/docs/manifest.json"
  static var ethereumAbsent: Bool { !FileManager.default.fileExists(atPath: ethereum) }

  /// A mesh directory whose mesh.yaml sets require-owner: the overlay that asks.
  static func overlay() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data("apiVersion: lineage/v1\nkind: Mesh\nname: overlay\npolicies:\n  require-owner: error\n".utf8)
      .write(to: URL(fileURLWithPath: dir + "/mesh.yaml"))
    return dir
  }

  @Test func aPlainManifestPassesWithOneNotePerPolicy() throws {
    let r = try CLI.run(["validate", "--mesh", Self.jaffle, "--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let findings = try CLI.json(r.stdout)["findings"] as? [[String: Any]] ?? []
    #expect(findings.map { $0["rule"] as? String } == ["imported-undeclared", "imported-undeclared"])
    #expect(findings.allSatisfy { $0["severity"] as? String == "info" && $0["file"] as? String == Self.jaffle })
    #expect(
      (findings.first?["message"] as? String)?.hasPrefix(
        "8 nodes imported from \(Self.jaffle) have no owner (5 models, 3 seeds)") == true)
    #expect((findings.first?["subjects"] as? [String])?.count == 8)
    let text = try CLI.run(["validate", "--mesh", Self.jaffle])
    #expect(text.stdout.contains("hint: in dbt, give each model, seed and source an owner with 'meta: {owner: TEAM}'"))
    #expect(
      text.stdout.hasSuffix("ok: 0 errors, 0 warnings, 2 notes in dbt manifest \(Self.jaffle)\n"), "\(text.stdout)")
  }

  @Test func anOverlayThatSetsThePolicyListsEveryNodeAtItsFile() throws {
    let dir = try Self.overlay()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["validate", "--mesh", Self.jaffle, "--mesh", dir, "--format", "json"])
    #expect(r.status == 1)
    let findings = try CLI.json(r.stdout)["findings"] as? [[String: Any]] ?? []
    let owners = findings.filter { $0["rule"] as? String == "require-owner" }
    #expect(owners.count == 8)
    let files = Set(owners.compactMap { $0["file"] as? String })
    #expect(
      files == [
        "samples/jaffle_shop/models/schema.yml", "samples/jaffle_shop/models/staging/schema.yml",
        "samples/jaffle_shop/seeds/raw_customers.csv", "samples/jaffle_shop/seeds/raw_orders.csv",
        "samples/jaffle_shop/seeds/raw_payments.csv",
      ])
    // require-description is not set by the overlay: still one note.
    #expect(findings.filter { $0["rule"] as? String == "imported-undeclared" }.count == 1)
    #expect(!findings.contains { $0["rule"] as? String == "require-description" })
  }

  @Test(.enabled(if: !ethereumAbsent, "../shared/corpus is absent"))
  func aRealProjectsRealFindingsAreNotDrowned() throws {
    let r = try CLI.run(["validate", "--mesh", Self.ethereum, "--format", "json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let findings = try CLI.json(r.stdout)["findings"] as? [[String: Any]] ?? []
    // Before: 82 require-owner errors and 59 require-description warnings.
    #expect(!findings.contains { ["require-owner", "require-description"].contains($0["rule"] as? String) })
    let notes = findings.filter { $0["rule"] as? String == "imported-undeclared" }
    #expect(notes.compactMap { ($0["subjects"] as? [String])?.count }.sorted() == [59, 82])
  }
}
