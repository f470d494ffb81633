import Foundation
import LineageCore
import LineageLoaders
import Testing

/// Every rule the loaders, the resolver, the policies and the ownership audit emit on
/// real inputs is catalogued in `Finding.Rule.catalogue` (the static scan of
/// `Sources/` is `RuleCatalogTests`): each sample mesh, and each file of the bundled
/// corpus read on its own, wrong shapes included.
@Suite struct EmittedRulesTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func inputs() -> [String] {
    var paths = ["samples/demo", "samples/demo-after", "samples/faulty", "samples/sql"].map { root + "/" + $0 }
    let corpus = Corpus.bundled
    let files = FileManager.default.enumerator(atPath: corpus)?.compactMap { $0 as? String } ?? []
    for f in files.sorted()
    where [".json", ".yaml", ".yml", ".sql"].contains(where: { f.hasSuffix($0) }) && !f.contains("/oracle/") {
      paths.append(corpus + "/" + f)
    }
    return paths
  }

  @Test func everyEmittedRuleIsCatalogued() {
    var seen: [String: String] = [:]
    for path in Self.inputs() {
      var findings: [Finding]
      do {
        let model = try ModelLoader.load(paths: [path])
        findings =
          model.findings + Governance.findings(model, context: .init(today: "2026-11-23"))
          + Ownership.audit(model)
      } catch {
        findings = error.findings
      }
      for f in findings { seen[f.rule.rawValue, default: path] = path }
    }
    #expect(seen.count >= 20, "only \(seen.count) distinct rules emitted; the inputs were not read")
    for (rule, path) in seen.sorted(by: { $0.key < $1.key }) {
      #expect(Finding.Rule(rawValue: rule).info != nil, "'\(rule)' (from \(path)) is not in Finding.Rule.catalogue")
    }
  }
}
