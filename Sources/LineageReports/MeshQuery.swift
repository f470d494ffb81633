public import LineageCore

/// The node-list questions that the command line and the lineage server both answer:
/// a selector's reach upstream or downstream (or one column's, for `PRODUCT.COLUMN`)
/// and a plain selection. Each returns the report both print, so that the server's
/// JSON is the command line's JSON.
public enum MeshQuery {
  /// Why a question cannot be answered: a usage error (exit status 2 on the command
  /// line, 400 over HTTP).
  public struct Failure: LocatedError {
    /// What kind of failure it is, for a front end that phrases its own options.
    public enum Reason: Sendable, Equatable {
      /// A selector that does not parse, or names a column a product does not have.
      case invalidArgument
      /// A negative depth.
      case negativeDepth
      /// The selector matched no node.
      case noMatch
    }

    /// What kind of failure it is.
    public var reason: Reason
    /// What is wrong, in one sentence, without the location or the hint.
    public var message: String
    /// For a selector that does not parse, the place in it (the selector as the file, line 1); nil
    /// otherwise.
    public var location: SourceLocation?
    /// How to fix it, from the underlying error when it has one; nil otherwise.
    public var hint: String?
    /// The text a front end prints: the underlying error's own description when it
    /// has one, else the message.
    public var description: String
    /// For ``Reason/noMatch``: the selector atoms that matched nothing, with a
    /// suggestion when there is one.
    public var unmatched: [(atom: String, suggestion: String?)] = []

    init(_ error: some LocatedError) {
      reason = .invalidArgument
      message = error.message
      location = error.location
      hint = error.hint
      description = error.description
    }

    init(_ reason: Reason, _ message: String) {
      self.reason = reason
      self.message = message
      description = message
    }
  }

  /// The answer of ``reach(_:direction:selector:depth:exclude:)`` and
  /// ``select(_:selector:exclude:eagerTests:)``.
  public struct Answer: Sendable {
    /// What the command prints.
    public var report: NodeListReport
    /// Selector atoms that matched no node, with a suggestion when there is one.
    public var unmatched: [(atom: String, suggestion: String?)]
  }

  /// Everything upstream or downstream of what `selector` picks, each node once with
  /// its shortest depth; a single `PRODUCT.COLUMN` argument (not itself a node id)
  /// follows that column instead.
  ///
  /// - Parameters:
  ///   - model: The loaded lineage.
  ///   - direction: Which way to follow the edges.
  ///   - selector: Node ids or selectors; several are a union.
  ///   - depth: At most this many hops; nil for no limit.
  ///   - exclude: A selector whose nodes are left out (and not passed through).
  /// - Returns: The report and the atoms that matched nothing.
  /// - Throws: ``Failure`` for a negative depth, a selector that does not parse, an
  ///   unknown column, or a selection that matched no node.
  /// - Complexity: O(V + E) for the reach, plus the report's sort.
  public static func reach(
    _ model: LineageModel, direction: Direction, selector: [String], depth: Int?, exclude: String?
  ) throws(Failure) -> Answer {
    let g = model.graph
    if let depth, depth < 0 { throw Failure(.negativeDepth, "the depth must be 0 or more") }
    if selector.count == 1, exclude == nil {
      let column: ColumnReach?
      do {
        column = try ColumnReach.resolving(model, selector[0], direction: direction, maxDepth: depth)
      } catch {
        throw Failure(error)
      }
      if let column {
        var report = NodeListReport(
          command: direction.rawValue, selector: selector, maxDepth: depth, level: "column",
          rows: NodeRow.rows(model, reach: column))
        report.partial = PartialNote(model)
        return Answer(report: report, unmatched: [])
      }
    }
    let (roots, excluded) = try selection(selector, exclude: exclude, in: g)
    let reach = g.reach(from: roots.nodes, direction: direction, maxDepth: depth, excluding: excluded)
    var report = NodeListReport(
      command: direction.rawValue, selector: selector, exclude: exclude, maxDepth: depth,
      table: NodeTable(model: model, nodes: reach.nodes, depths: reach.depths),
      edges: EdgeRow.rows(model, nodes: reach.nodes))
    report.partial = PartialNote(model)
    return Answer(report: report, unmatched: roots.unmatched)
  }

  /// The nodes `selector` picks, with dbt's graph operators, as `select` lists them.
  ///
  /// - Parameters:
  ///   - model: The loaded lineage.
  ///   - selector: Selectors; several are a union.
  ///   - exclude: A selector whose nodes are left out.
  ///   - eagerTests: Over a dbt manifest, also list the tests of every selected node
  ///     (dbt's default indirect selection).
  /// - Returns: The report and the atoms that matched nothing.
  /// - Throws: ``Failure`` for a selector that does not parse.
  /// - Complexity: O(V + E) for the selection, plus the report's sort.
  public static func select(
    _ model: LineageModel, selector: [String], exclude: String?, eagerTests: Bool
  ) throws(Failure) -> Answer {
    let g = model.graph
    let sel = try parse(selector, in: g)
    let excluded = try exclude.map { (e) throws(Failure) in try parse([e], in: g) }
    let result = g.listed(g.select(sel, excluding: excluded), eagerTests: eagerTests)
    var report = NodeListReport(
      command: "select", selector: selector, exclude: exclude,
      table: NodeTable(model: model, nodes: result.nodes, depths: result.depths),
      edges: EdgeRow.rows(model, nodes: result.nodes))
    report.partial = PartialNote(model)
    return Answer(report: report, unmatched: result.unmatched)
  }

  /// The roots of a reach: what `selector` picks (at least one node), and what
  /// `exclude` leaves out.
  static func selection(
    _ selector: [String], exclude: String?, in g: LineageGraph
  ) throws(Failure) -> (Selection, Selector?) {
    let sel = try parse(selector, in: g)
    let excluded = try exclude.map { (e) throws(Failure) in try parse([e], in: g) }
    let roots = g.select(sel)
    if roots.nodes.isEmpty {
      var failure = Failure(.noMatch, "selector \(selector.map { "'\($0)'" }.joined(separator: " ")) matched no node")
      failure.unmatched = roots.unmatched
      throw failure
    }
    return (roots, excluded)
  }

  static func parse(_ args: [String], in g: LineageGraph) throws(Failure) -> Selector {
    do {
      return try Selector.parse(args, in: g)
    } catch {
      throw Failure(error)
    }
  }
}
