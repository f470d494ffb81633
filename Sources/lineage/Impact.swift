import ArgumentParser
import Foundation
import LineageCore
import LineageReports

struct Impact: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "The blast radius of a schema change: what breaks, where, and whom to tell.",
    discussion: """
      Changes: drop, rename[:NEW], retype:TYPE, nullable, retire. Effects follow column \
      lineage through every hop; each affected product and consumer gets a verdict \
      (breaks or may-break), a reason and a path. Exit status 1 when something breaks \
      (see --fail-on).
      """)

  @Argument(help: "PRODUCT.COLUMN, or PRODUCT with --change retire.") var target: String
  @Option(help: "drop, rename[:NEW], retype:TYPE, nullable or retire.") var change: String
  @Option(help: "Exit 1 on: breaks (default), may-break, or never.") var failOn: FailOn = .breaks
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case breaks
    case mayBreak = "may-break"
    case never
  }

  func run() throws {
    guard let kind = SchemaChange(parsing: change) else {
      Output.error("unknown change '\(change)'; expected drop, rename[:NEW], retype:TYPE, nullable or retire")
      throw Status.input
    }
    let model = try mesh.load()
    reportLoadProblems(model)
    let result = try analyzeImpact(model, target: target, change: kind)
    var report = ImpactReport(result, model: model)
    report.partial = PartialNote(model)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
    switch failOn {
    case .breaks: if report.breaks > 0 { throw Status.findings }
    case .mayBreak: if !report.rows.isEmpty { throw Status.findings }
    case .never: break
    }
  }
}

/// Resolves `PRODUCT[.COLUMN]` and runs the analysis; errors exit with status 2.
func analyzeImpact(_ model: LineageModel, target: String, change: SchemaChange) throws -> ImpactResult {
  let g = model.graph
  var product: Int32?
  var column: String?
  if let v = g.index(of: target) {
    product = v
  } else if let dot = target.lastIndex(of: "."), let v = g.index(of: String(target[..<dot])) {
    product = v
    column = String(target[target.index(after: dot)...])
  }
  guard let product else {
    let candidates = g.nodeCount <= 200_000 ? g.ids.strings : []
    let guess = target.lastIndex(of: ".").map { String(target[..<$0]) } ?? target
    Output.error("no product '\(guess)' in the mesh"
      + ((Suggest.closest(to: guess, in: candidates) ?? Suggest.closest(to: target, in: candidates)).map { " (did you mean '\($0)'?)" } ?? ""))
    throw Status.input
  }
  do {
    return try ImpactAnalysis.analyze(model, product: product, column: column, change: change)
  } catch {
    Output.error(error.description)
    throw Status.input
  }
}
