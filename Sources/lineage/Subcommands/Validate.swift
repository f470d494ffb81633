import ArgumentParser
import LineageCore
import LineageLoaders
import LineageReports

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
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
    let today = self.today ?? .today()
    // A mesh directory's findings are kept (FindingsCache): asked again of the same
    // files, validate reads no YAML.
    let cache = mesh.findingsCache
    let lookup = cache?.lookup("validate \(today) \(mesh.loaderKey)", paths: mesh.mesh)
    let kept: FindingsCache.Kept
    if let hit = lookup?.kept {
      kept = hit
    } else {
      // Load errors are listed with every other finding; they make the exit status 2.
      let model = try mesh.loadForFindings()
      // Kept in report order, which the report's sort then finds at once.
      let findings = Validation.findings(model, today: today).sorted(by: Finding.reportOrder)
      kept = FindingsCache.Kept(source: model.source, firstFile: model.inputFiles.first, findings: findings)
      if let cache, let lookup { cache.keep(kept, for: lookup, input: model.input) }
    }
    let report = FindingsReport(findings: kept.findings, source: kept.source, failOn: failOn.severity)
    try emitFindings(
      report, title: "Lineage validate", suite: "lineage validate", output: output, comment: comment,
      fallback: kept.firstFile)
  }
}
