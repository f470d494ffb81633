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

/// The shared body of `upstream` and `downstream`: a selector's reach, or with
/// `PRODUCT.COLUMN` (not itself a node id) the column's reach.
func traverse(
  _ direction: Direction, selector: [String], depth: Int?, exclude: String?, mesh: MeshOption,
  output: OutputOptions
) throws(CLIError) {
  let model = try mesh.load()
  let g = model.graph
  if let depth, depth < 0 { throw CLIError("--depth must be 0 or more") }
  if selector.count == 1, exclude == nil {
    let reach: ColumnReach?
    do {
      reach = try ColumnReach.resolving(model, selector[0], direction: direction, maxDepth: depth)
    } catch {
      throw CLIError(error)
    }
    if let reach {
      var report = NodeListReport(
        command: direction.rawValue, selector: selector, maxDepth: depth, level: "column",
        rows: NodeRow.rows(model, reach: reach))
      report.partial = PartialNote(model)
      return try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
    }
  }
  let sel = try parseSelector(selector, in: g)
  let excluded = try exclude.map { (e) throws(CLIError) in try parseSelector([e], in: g) }
  let roots = g.select(sel)
  warnUnmatched(roots)
  if roots.nodes.isEmpty {
    throw CLIError("selector \(selector.map { "'\(terminalSafe($0))'" }.joined(separator: " ")) matched no node")
  }
  let reach = g.reach(from: roots.nodes, direction: direction, maxDepth: depth, excluding: excluded)
  var report = NodeListReport(
    command: direction.rawValue, selector: selector, exclude: exclude, maxDepth: depth,
    rows: NodeRow.rows(model, nodes: reach.nodes, depths: reach.depths),
    edges: EdgeRow.rows(model, nodes: reach.nodes))
  report.partial = PartialNote(model)
  try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
}
