import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports

/// Parses selector arguments, printing a located error (exit 2) when malformed.
func parseSelector(_ args: [String], in g: LineageGraph) throws -> Selector {
  do {
    return try Selector.parse(args, in: g)
  } catch {
    Output.error(error.description)
    throw Status.input
  }
}

func warnUnmatched(_ s: Selection) {
  for (atom, suggestion) in s.unmatched {
    Output.warning("'\(terminalSafe(SelectorError.excerpt(atom)))' matched no node" + (suggestion.map { " (did you mean '\(terminalSafe($0))'?)" } ?? ""))
  }
}

/// The shared body of `upstream` and `downstream`.
func traverse(_ direction: Direction, selector: [String], depth: Int?, exclude: String?, mesh: MeshOption,
              output: OutputOptions) throws {
  let model = try mesh.load()
  reportLoadProblems(model)
  let g = model.graph
  if let depth, depth < 0 {
    Output.error("--depth must be 0 or more")
    throw Status.input
  }
  // PRODUCT.COLUMN (not itself a node id): follow column-level lineage.
  if selector.count == 1, g.index(of: selector[0]) == nil, exclude == nil,
     let dot = selector[0].lastIndex(of: "."),
     let v = g.index(of: String(selector[0][..<dot]))
  {
    let name = String(selector[0][selector[0].index(after: dot)...])
    // The one rule for which columns exist, and the one notion of a column's reach, are
    // the core's (ImpactAnalysis uses both too).
    let c: Int32
    do {
      c = try ColumnReach.column(model, of: v, named: name)
    } catch {
      Output.error(error.description)
      throw Status.input
    }
    let reach = ColumnReach(model, column: c, direction: direction, maxDepth: depth)
    let rows = NodeRow.rows(model, reach: reach)
    var report = NodeListReport(command: direction.rawValue, selector: selector, maxDepth: depth, level: "column",
                                rows: rows)
    report.partial = PartialNote(model)
    return try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
  }
  let sel = try parseSelector(selector, in: g)
  let excluded = try exclude.map { try parseSelector([$0], in: g) }
  let roots = g.select(sel)
  warnUnmatched(roots)
  if roots.nodes.isEmpty {
    Output.error("selector \(selector.map { "'\(terminalSafe($0))'" }.joined(separator: " ")) matched no node")
    throw Status.input
  }
  let reach = g.reach(from: roots.nodes, direction: direction, maxDepth: depth)
  var nodes = reach.nodes, depths = reach.depths
  if let excluded {
    let drop = g.select(excluded)
    var mask = [Bool](repeating: false, count: g.nodeCount)
    for v in drop.nodes { mask[Int(v)] = true }
    var keepN: [Int32] = [], keepD: [Int32] = []
    for (v, d) in zip(nodes, depths) where !mask[Int(v)] {
      keepN.append(v)
      keepD.append(d)
    }
    nodes = keepN
    depths = keepD
  }
  var report = NodeListReport(command: direction.rawValue, selector: selector, exclude: exclude, maxDepth: depth,
                              rows: NodeRow.rows(model, nodes: nodes, depths: depths),
                              edges: EdgeRow.rows(model, nodes: nodes))
  report.partial = PartialNote(model)
  try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
}

struct Upstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List everything the selected nodes read from, each once with its shortest depth.",
    discussion: "Give PRODUCT.COLUMN to follow column-level lineage instead.")

  @Argument(help: "A node id or a selector; several are a union.") var selector: [String]
  @Option(help: "Follow at most this many hops.") var depth: Int?
  @Option(help: "Leave out the nodes this selector picks.") var exclude: String?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    try traverse(.upstream, selector: selector, depth: depth, exclude: exclude, mesh: mesh, output: output)
  }
}

struct Downstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List everything that reads the selected nodes, each once with its shortest depth.",
    discussion: "Give PRODUCT.COLUMN to follow column-level lineage instead.")

  @Argument(help: "A node id or a selector; several are a union.") var selector: [String]
  @Option(help: "Follow at most this many hops.") var depth: Int?
  @Option(help: "Leave out the nodes this selector picks.") var exclude: String?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    try traverse(.downstream, selector: selector, depth: depth, exclude: exclude, mesh: mesh, output: output)
  }
}

struct Select: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Select nodes with dbt-style selectors.",
    discussion: """
      Examples: 'sales.orders+' (it and downstream), '+crm.customers' (upstream), \
      '1+finance.revenue+2', '@crm.customers', 'domain:sales,kind:consumer' (intersection), \
      'tag:pii status:deprecated' (union), 'sales.*'. Over a dbt manifest, selection is \
      dbt's: bare names are fully qualified names ('orders', 'staging'), paths \
      ('models/staging'), and the methods source:, exposure:, metric:, semantic_model:, \
      saved_query:, fqn:, path:, package: and resource_type: work; the result lists what \
      'dbt ls --indirect-selection empty' lists.
      """)

  @Argument(help: "Selectors; several are a union.") var selector: [String]
  @Option(help: "Leave out the nodes this selector picks.") var exclude: String?
  @Option(help: "Over a dbt manifest: 'empty' (the default) lists what the selector reaches; 'eager' also adds the tests of every selected node, as dbt's default does.")
  var indirectSelection: IndirectSelection = .empty

  enum IndirectSelection: String, ExpressibleByArgument, CaseIterable { case empty, eager }
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    let model = try mesh.load()
    reportLoadProblems(model)
    let g = model.graph
    let sel = try parseSelector(selector, in: g)
    let excluded = try exclude.map { try parseSelector([$0], in: g) }
    let result = g.listed(g.select(sel, excluding: excluded), eagerTests: indirectSelection == .eager)
    warnUnmatched(result)
    var report = NodeListReport(command: "select", selector: selector, exclude: exclude,
                                rows: NodeRow.rows(model, nodes: result.nodes, depths: result.depths),
                                edges: EdgeRow.rows(model, nodes: result.nodes))
    report.partial = PartialNote(model)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
  }
}

struct Cycles: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find every cycle and the edge that most likely caused it.",
    discussion: """
      Reports each strongly connected component with a cycle, one shortest cycle through \
      it, and the cross-domain edge that runs most against the usual flow between its two \
      domains. Exit status 1 when there is a cycle.
      """)

  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    let model = try mesh.load()
    reportLoadProblems(model)
    var report = CyclesReport(cycles: CycleFinder.cycles(in: model.graph), graph: model.graph)
    report.partial = PartialNote(model)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
    if !report.entries.isEmpty { throw Status.findings }
  }
}

struct Stats: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Sizes, depth, fan-in and fan-out, hubs and cycles of the graph.")

  @Option(help: "How many hubs to list.") var top: Int = 10
  @Option(help: ArgumentHelp("How to rank nodes by how much lies downstream of them: exact, approximate (HyperLogLog, about 3 % error), none, or auto (exact up to \(GraphStats.exactBlastLimit) nodes).", valueName: "method"))
  var blast: BlastChoice = .auto
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  enum BlastChoice: String, ExpressibleByArgument, CaseIterable { case auto, exact, approximate, none }

  func run() throws {
    let model = try mesh.load()
    reportLoadProblems(model)
    let method: GraphStats.BlastMethod? = switch blast {
    case .auto: model.graph.nodeCount <= GraphStats.exactBlastLimit ? .exact : .approximate
    case .exact: .exact
    case .approximate: .approximate
    case .none: nil
    }
    var report = StatsReport(stats: GraphStats(model.graph, top: max(0, top), blast: method), graph: model.graph,
                             source: model.source)
    report.partial = PartialNote(model)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
  }
}

