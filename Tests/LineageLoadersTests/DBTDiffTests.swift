import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// `diff` of two dbt manifests as dbt users read them: tests are checks, not products
/// (removing one is a note), and semver advice is given only to models with a version.
@Suite struct DBTDiffTests {
  static let jaffle = Corpus.bundled + "/dbt_jaffle_shop_classic/target"
  static let orders = "model.jaffle_shop.orders"
  static let today: CalendarDate = "2026-01-01"
  static let statusTest =
    "test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3"

  /// The bundled jaffle_shop manifest with `edit` applied to its `nodes`, loaded.
  static func manifest(_ edit: (inout [String: Any]) throws -> Void) throws -> LineageModel {
    let data = try Data(contentsOf: URL(fileURLWithPath: jaffle + "/manifest.json"))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    try edit(&nodes)
    top["nodes"] = nodes
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("dbt-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    try JSONSerialization.data(withJSONObject: top).write(to: out.appendingPathComponent("manifest.json"))
    try FileManager.default.copyItem(
      atPath: jaffle + "/catalog.json", toPath: out.appendingPathComponent("catalog.json").path)
    return try ModelLoader.load(path: out.appendingPathComponent("manifest.json").path)
  }

  /// Drops `column` from the compiled SQL of `model`.
  static func dropStatus(_ nodes: inout [String: Any]) throws {
    var n = try #require(nodes[orders] as? [String: Any])
    let code = try #require(n["compiled_code"] as? String)
    n["compiled_code"] = code.replacingOccurrences(of: "orders.status,", with: "")
    nodes[orders] = n
  }

  static func setVersion(_ nodes: inout [String: Any], _ version: Int) throws {
    var n = try #require(nodes[orders] as? [String: Any])
    n["version"] = version
    n["latest_version"] = version
    nodes[orders] = n
  }

  @Test func addedTestIsANoteNotAProduct() throws {
    // The head version adds the test the base lacks: a check, not a product.
    let base = try Self.manifest { $0.removeValue(forKey: Self.statusTest) }
    let head = try ModelLoader.load(path: Self.jaffle + "/manifest.json")
    let (changes, _) = MeshDiff.compare(base: base, head: head)
    #expect(changes.map(\.kind) == [.testAdded])
    #expect(changes.first?.product == Self.statusTest)
    #expect(changes.first?.breaking == false)
    for threshold in DiffGate.Threshold.allCases {
      #expect(DiffGate.decide(changes, threshold: threshold, ignores: [], today: Self.today).passed, "\(threshold)")
    }
  }

  @Test func removedTestIsANoteThatPassesTheGate() throws {
    let base = try ModelLoader.load(path: Self.jaffle + "/manifest.json")
    let head = try Self.manifest { $0.removeValue(forKey: Self.statusTest) }
    let (changes, versions) = MeshDiff.compare(base: base, head: head)
    #expect(changes.map(\.kind) == [.testRemoved])
    #expect(changes.first?.product == Self.statusTest)
    #expect(changes.first?.breaking == false)
    #expect(changes.first?.impact == nil)
    #expect(versions.isEmpty)
    // Not even `--fail-on any` fails on it.
    for threshold in DiffGate.Threshold.allCases {
      let decision = DiffGate.decide(changes, threshold: threshold, ignores: [], today: Self.today)
      #expect(decision.passed, "\(threshold)")
      let findings = DiffGate.findings(
        changes, versions: versions, decision: decision, dangling: MeshDiff.DanglingReferences())
      #expect(findings.changes.map(\.severity) == [.info])
      #expect(findings.versions.isEmpty)
    }
  }

  @Test func removedModelIsStillBreaking() throws {
    let base = try ModelLoader.load(path: Self.jaffle + "/manifest.json")
    let head = try Self.manifest { $0.removeValue(forKey: "model.jaffle_shop.customers") }
    let removed = MeshDiff.compare(base: base, head: head).changes.filter { $0.kind == .productRemoved }
    #expect(removed.map(\.product) == ["model.jaffle_shop.customers"])
    #expect(removed.first?.breaking == true)
  }

  @Test func unversionedModelGetsNoSemverAdvice() throws {
    let base = try ModelLoader.load(path: Self.jaffle + "/manifest.json")
    let head = try Self.manifest(Self.dropStatus)
    let (changes, versions) = MeshDiff.compare(base: base, head: head)
    #expect(changes.contains { $0.breaking })
    #expect(versions.isEmpty)
    let decision = DiffGate.decide(changes, threshold: .breaks, ignores: [], today: Self.today)
    let findings = DiffGate.findings(
      changes, versions: versions, decision: decision, dangling: MeshDiff.DanglingReferences())
    #expect(findings.versions.isEmpty)
    #expect(!findings.all.contains { $0.message.contains("- -> -") })
  }

  @Test func versionedModelNeedsANewVersionForABreakingChange() throws {
    let base = try Self.manifest { try Self.setVersion(&$0, 2) }
    let head = try Self.manifest {
      try Self.setVersion(&$0, 2)
      try Self.dropStatus(&$0)
    }
    let versions = MeshDiff.compare(base: base, head: head).versions
    #expect(versions.map(\.product) == [Self.orders])
    #expect(versions.first?.suggested == .major)
    #expect(versions.first?.oldVersion == "2")
    #expect(versions.first?.insufficient == true)
  }

  @Test func versionedModelNeedsNoVersionForANonBreakingChange() throws {
    let base = try Self.manifest { try Self.setVersion(&$0, 2) }
    let head = try Self.manifest {
      try Self.setVersion(&$0, 2)
      var n = try #require($0[Self.orders] as? [String: Any])
      let code = try #require(n["compiled_code"] as? String)
      n["compiled_code"] = code.replacingOccurrences(
        of: "orders.status,", with: "orders.status,\n upper(orders.status) as status_code,")
      $0[Self.orders] = n
    }
    let (changes, versions) = MeshDiff.compare(base: base, head: head)
    #expect(changes.map(\.kind) == [.columnAdded])
    #expect(versions.isEmpty)
  }
}
