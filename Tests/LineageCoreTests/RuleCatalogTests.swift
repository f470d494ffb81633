import Foundation
import Testing

@testable import LineageCore

/// Every rule a finding can carry is catalogued (summary and help), so that SARIF and
/// docs/rules.md describe it. The emitted rules are found two ways: by reading every
/// Swift file under `Sources/` for rule ids written where a finding or diagnostic is
/// made (here), and by loading every sample and corpus input and checking the findings
/// they produce (`EmittedRulesTests` in LineageLoadersTests).
@Suite struct RuleCatalogTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The rule ids written in `Sources/` as strings (the core's own findings use the
  /// typed constants, ``Finding/Rule/noCycles`` and the like, which exist only for
  /// catalogued rules): a string literal given as a `rule:` argument
  /// (either branch of a conditional too), assigned to a `rule` variable, named as a
  /// checker's `missingRule:`, or passed first to a helper that makes findings
  /// (`report`, `warn`, `add`, `diag`, `run`).
  static func rulesInSources() throws -> [String: String] {
    let pattern = try NSRegularExpression(
      pattern:
        #"(?:\brule:|\brule =|\bmissingRule:|\breport\(|\bwarn\(|\.add\(|\bdiag\(|\brun\()\s*(?:[A-Za-z_.!]+\s*\?\s*)?"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"(?:\s*:\s*"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")?"#
    )
    var found: [String: String] = [:]
    let sources = root.appendingPathComponent("Sources")
    let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
    for file in files.sorted() where file.hasSuffix(".swift") {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      let ns = text as NSString
      for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
        for g in 1...2 where m.range(at: g).location != NSNotFound {
          found[ns.substring(with: m.range(at: g)), default: file] = file
        }
      }
    }
    return found
  }

  @Test func everyRuleWrittenInSourcesIsCatalogued() throws {
    let found = try Self.rulesInSources()
    // The scan must see the rules it is there to see; if it finds few, the pattern broke.
    #expect(found.count >= 40, "only \(found.count) rule ids found in Sources/")
    for (rule, file) in found.sorted(by: { $0.key < $1.key }) {
      #expect(
        Finding.Rule(rawValue: rule).info != nil, "rule '\(rule)' (Sources/\(file)) is not in Finding.Rule.catalogue")
    }
  }

  @Test func everyDeclaredRuleFamilyIsCatalogued() {
    let families: [(String, [String])] = [
      ("policies", PolicyCatalog.rules),
      ("load errors", Finding.loadErrorRules.map(\.rawValue).sorted()),
      ("diff changes", MeshChange.Kind.allCases.map(\.rawValue)),
    ]
    for (family, rules) in families {
      for rule in rules {
        #expect(Finding.Rule(rawValue: rule).info != nil, "\(family): rule '\(rule)' is not catalogued")
      }
    }
  }

  @Test func catalogueIsWellFormed() {
    let ids = Finding.Rule.catalogue.map(\.rule.rawValue)
    #expect(Set(ids).count == ids.count, "a rule is catalogued twice")
    for info in Finding.Rule.catalogue {
      #expect(!info.summary.isEmpty && !info.help.isEmpty, "\(info.rule) lacks a summary or help")
      #expect(info.summary.last == "." && info.help.last == ".", "\(info.rule): summary and help are sentences")
    }
    #expect(Finding.Rule.noCycles.info?.summary == "Products do not depend on themselves through their inputs.")
    #expect(Finding.Rule.columnDropped.info?.category == .change)
  }

  @Test func docsListEveryRule() throws {
    let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
    for info in Finding.Rule.catalogue {
      #expect(
        docs.contains("| `\(info.rule.rawValue)` | \(info.summary.replacingOccurrences(of: "|", with: "\\|")) |"),
        "docs/rules.md does not list '\(info.rule)' with its summary")
    }
  }

  @Test func typedRulesKeepTheirIds() {
    let f = Finding(rule: .noCycles, severity: .error, message: "m")
    #expect(f.rule == "no-cycles")
    #expect(f.rule == .noCycles)
    #expect(f.rule.rawValue == "no-cycles")
    #expect(f.rule.info?.category == .policy)
    #expect(Finding(rule: "made-up", severity: .info, message: "m").rule.info == nil)
    // A rule that arrives as a String (a SQL diagnostic's, a change kind's raw value).
    let id: String = "column-dropped"
    #expect(Finding(rule: id, severity: .warning, message: "m").rule == .columnDropped)
  }
}
