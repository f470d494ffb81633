import ArgumentParser
import LineageCore
import LineageReports

struct Stats: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Sizes, depth, fan-in and fan-out, hubs and cycles of the graph.",
    discussion: """
      Examples (from the repository's root):
        lineage stats --mesh samples/demo
        lineage stats --blast exact --format json --mesh samples/demo
      """)

  @Option(help: "How many hubs to list.") var top: Int = 10
  @Option(
    help: ArgumentHelp(
      "How to rank nodes by how much lies downstream of them: exact, approximate (HyperLogLog, about 3 % error), none, or auto (exact up to \(GraphStats.exactBlastLimit) nodes).",
      valueName: "method"))
  var blast: BlastChoice = .auto
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  /// A ``GraphStats/BlastMethod``, or none, or chosen by the graph's size.
  enum BlastChoice: String, ExpressibleByArgument, CaseIterable { case auto, exact, approximate, none }

  func run() throws {
    let model = try mesh.load()
    let method: GraphStats.BlastMethod? =
      switch blast {
      case .auto: .automatic(for: model.graph)
      case .exact: .exact
      case .approximate: .approximate
      case .none: nil
      }
    var report = StatsReport(
      stats: GraphStats(model.graph, top: max(0, top), blast: method), graph: model.graph,
      source: model.source)
    report.partial = PartialNote(model)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
  }
}
