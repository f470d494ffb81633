import ArgumentParser
import LineageCore
import LineageReports

struct Impact: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "impact",
    abstract: "The blast radius of a schema change: what breaks, where, and whom to tell.",
    discussion: """
      Changes: drop, rename[:NEW], retype:TYPE, nullable, retire. Effects follow column \
      lineage through every hop; each affected product and consumer gets a verdict \
      (breaks or may-break), a reason and a path. Exit status 1 when something breaks \
      (see --fail-on).

      Examples (from the repository's root):
        lineage impact crm.customers.email --change drop --mesh samples/demo
        lineage impact crm.customers.segment --change rename:customer_segment \\
            --mesh samples/demo
        lineage impact sales.daily_sales --change retire --format json --mesh \\
            samples/demo
      """)

  @Argument(help: "PRODUCT.COLUMN, or PRODUCT with --change retire.") var target: String
  @Option(help: "drop, rename[:NEW], retype:TYPE, nullable or retire.") var change: String
  @Option(help: "Exit 1 on: breaks (default), may-break, or never.") var failOn: ImpactResult.FailOn = .breaks
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    let kind = try parseChange(change)
    let model = try mesh.load()
    let result = try analyzeImpact(model, target: target, change: kind)
    var report = ImpactReport(result, model: model)
    report.partial = PartialNote(model)
    try output.emit(text: { report.textOutput(style: output.style) }, json: { report.jsonOutput() })
    if result.fails(on: failOn) { throw CLIError.findings }
  }
}

/// Parses a `--change` value; an unknown one is a usage error.
func parseChange(_ change: String) throws(CLIError) -> SchemaChange {
  guard let kind = SchemaChange(parsing: change) else {
    throw CLIError("unknown change '\(change)'; expected drop, rename[:NEW], retype:TYPE, nullable or retire")
  }
  return kind
}

/// Runs ``ImpactAnalysis/analyze(_:target:change:)``; its errors exit with status 2,
/// with the command line's own hint where the library's names no flag.
func analyzeImpact(_ model: LineageModel, target: String, change: SchemaChange) throws(CLIError) -> ImpactResult {
  do {
    return try ImpactAnalysis.analyze(model, target: target, change: change)
  } catch var error {
    if error.reason == .columnRequired { error.hint = "give PRODUCT.COLUMN, or --change retire" }
    throw CLIError(error)
  }
}
