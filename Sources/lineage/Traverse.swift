import ArgumentParser
import LineageCore
import LineageReports

/// The arguments `upstream` and `downstream` share.
struct TraverseArguments: ParsableArguments {
  @Argument(help: "A node id or a selector; several are a union.") var selector: [String]
  @Option(help: "Follow at most this many hops.") var depth: Int?
  @Option(help: "Leave out the nodes this selector picks.") var exclude: String?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run(_ direction: Direction) throws {
    try traverse(direction, selector: selector, depth: depth, exclude: exclude, mesh: mesh, output: output)
  }
}

/// The shared body of `upstream` and `downstream`: ``MeshQuery/reach(_:direction:selector:depth:exclude:)``
/// on the loaded mesh, its unmatched atoms warned about, its report printed.
func traverse(
  _ direction: Direction, selector: [String], depth: Int?, exclude: String?, mesh: MeshOption,
  output: OutputOptions
) throws(CLIError) {
  let model = try mesh.load()
  let answer: MeshQuery.Answer
  do {
    answer = try MeshQuery.reach(model, direction: direction, selector: selector, depth: depth, exclude: exclude)
  } catch {
    throw CLIError(query: error, selector: selector)
  }
  warnUnmatched(answer.unmatched)
  try output.emit(
    text: { answer.report.textOutput(style: output.style, moreEdges: CommandLineWording.moreEdges) },
    json: { answer.report.jsonOutput() })
}
