import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports

/// The lowest severity that fails a findings command.
enum FailLevel: String, ExpressibleByArgument, CaseIterable {
  case error, warning

  var severity: Severity { self == .error ? .error : .warning }
}

/// Prints a findings report in the chosen format and exits 1 when it fails.
/// Exit status 2 when the input was not read completely (load errors among the
/// findings, or a partial answer), else 1 when a finding is at or above `failOn`.
func emitFindings(_ report: FindingsReport, title: String, suite: String, output: OutputOptions,
                  fallback: String?) throws {
  let incomplete = report.partial != nil || report.findings.contains(where: \.isLoadError)
  try output.emit(
    text: { report.text(style: output.style) }, json: { report.json() },
    markdown: { report.markdown(title: title) },
    sarif: {
      SARIFWriter.write(report.findings, ruleDescriptions: RuleCatalog.descriptions, fallbackFile: fallback,
                        executionSuccessful: !incomplete, notifications: report.partial?.loadErrors ?? [])
    },
    junit: { JUnitWriter.write(report.findings + (report.partial?.loadErrors ?? []), suite: suite, failOn: report.failOn) })
  if report.findings.contains(where: \.isLoadError) { throw Status.input }
  if report.failed { throw Status.findings }
}

/// Today's date in UTC as `YYYY-MM-DD`.
func isoToday() -> String {
  let f = DateFormatter()
  f.locale = Locale(identifier: "en_US_POSIX")
  f.timeZone = TimeZone(identifier: "UTC")
  f.dateFormat = "yyyy-MM-dd"
  return f.string(from: Date())
}

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Load the mesh, resolve every reference, and check cycles, ownership claims and the governance policies.",
    discussion: """
      Prints every problem as path:line:column: severity: message [rule], with a hint. \
      The policies are configured under 'policies:' in mesh.yaml (error, warning or off): \
      require-owner, require-description, require-sla, require-schema, no-cycles, \
      cross-domain-private-access, pii-propagation, deprecated-input, sla-freshness, max-depth. \
      Exit status 1 when a finding is at or above --fail-on.
      """)

  @Option(help: "The lowest severity that fails: error or warning.") var failOn: FailLevel = .error
  @Option(help: .hidden) var today: String?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    // Load errors are listed with every other finding; they make the exit status 2.
    let model = try mesh.loadForFindings()
    let findings = Self.findings(model, today: today ?? isoToday())
    let report = FindingsReport(findings: findings, source: model.source, failOn: failOn.severity)
    try emitFindings(report, title: "Lineage validate", suite: "lineage validate", output: output,
                     fallback: model.inputFiles.first)
  }
}

extension Validate {
  /// Everything `validate` reports: loading and references, ownership claims, policies.
  static func findings(_ model: LineageModel, today: String) -> [Finding] {
    model.findings + Ownership.entityClaims(model.mesh) + Ownership.locationClaims(model.mesh)
      + Governance.findings(model, context: .init(today: today))
  }
}

struct Owners: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Audit ownership: overlapping claims on entities, ids, tables and schemas.",
    discussion: """
      Reports entities claimed by several domains (entity-overlap), ids declared twice \
      (duplicate-id), physical locations claimed twice (location-overlap), teams owning \
      products in several domains (team-spans-domains), products owned by a team other \
      than their domain's (owner-not-domain-team), nodes without an owner (require-owner), \
      and products in different domains whose column names overlap heavily \
      (schema-overlap, with the Jaccard similarity). Exit status 1 when a finding is at \
      or above --fail-on.
      """)

  @Option(help: "The lowest schema similarity (0 to 1) reported as schema-overlap.") var similarity: Double = 0.8
  @Option(help: "Schemas with fewer columns are not compared.") var minColumns: Int = 4
  @Option(help: "The lowest severity that fails: error or warning.") var failOn: FailLevel = .error
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard (0.5...1).contains(similarity) else {
      throw ValidationError("--similarity must be between 0.5 and 1, such as 0.8")
    }
    guard minColumns >= 1 else { throw ValidationError("--min-columns must be 1 or more") }
  }

  func run() throws {
    let model = try mesh.load()
    reportLoadProblems(model)
    let findings = Ownership.audit(model, options: .init(similarity: similarity, minColumns: minColumns))
    var report = FindingsReport(findings: findings, source: model.source, failOn: failOn.severity)
    report.partial = PartialNote(model)
    try emitFindings(report, title: "Lineage ownership audit", suite: "lineage owners", output: output,
                     fallback: model.inputFiles.first)
  }
}
