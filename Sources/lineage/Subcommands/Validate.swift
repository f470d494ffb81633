import ArgumentParser
import LineageCore
import LineageLoaders
import LineageReports

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Load the mesh, resolve every reference, and check cycles, ownership claims and the governance policies.",
    discussion: """
      Prints every problem as path:line:column: severity: message [rule], with a hint. \
      The policies are configured under 'policies:' in mesh.yaml (error, warning or off): \
      require-owner, require-description, require-sla, require-schema, no-cycles, \
      cross-domain-private-access, pii-propagation, deprecated-input, sla-freshness, max-depth. \
      Exit status 1 when a finding is at or above --fail-on.

      Examples (from the repository's root):
        lineage validate --mesh samples/faulty
        lineage validate --fail-on warning --format sarif -o lineage.sarif --mesh \\
            samples/demo
      """)

  @Option(help: "The lowest severity that fails: error or warning.") var failOn: FailLevel = .error
  @Option(help: .hidden) var today: CalendarDate?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions
  @OptionGroup var comment: CommentOptions

  func run() throws {
    // Load errors are listed with every other finding; they make the exit status 2.
    let model = try mesh.loadForFindings()
    let findings = Validation.findings(model, today: today ?? .today())
    let report = FindingsReport(findings: findings, source: model.source, failOn: failOn.severity)
    try emitFindings(
      report, title: "Lineage validate", suite: "lineage validate", output: output, comment: comment,
      fallback: model.inputFiles.first)
  }
}
