import ArgumentParser
import LineageCore
import LineageReports

struct Cycles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cycles",
    abstract: "Find every cycle and the edge that most likely caused it.",
    discussion: """
      Reports each strongly connected component with a cycle, one shortest cycle through \
      it, and the cross-domain edge that runs most against the usual flow between its two \
      domains. Exit status 1 when there is a cycle.

      Examples (from the repository's root):
        lineage cycles --mesh samples/faulty
        lineage cycles --mesh samples/faulty --format json
      """)

  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    let model = try mesh.load()
    let cycles = CycleFinder.cycles(in: model.graph)
    var report = CyclesReport(cycles: cycles, graph: model.graph)
    report.partial = PartialNote(model)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
    if !cycles.isEmpty { throw CLIError.findings }
  }
}
