/// Who a column reaches: the columns derived from it (or that it derives from) and the
/// nodes that read it, each once with its shortest depth and how it is reached.
///
/// This is the one notion of a column's reach that `downstream PRODUCT.COLUMN`,
/// `upstream PRODUCT.COLUMN` and the blast radius of ``ImpactAnalysis`` share:
/// the nodes `ColumnReach` finds downstream of a column are exactly the nodes a `drop`
/// of that column affects (breaks or may break).
///
/// **Downstream**, from the start column at depth 0:
/// - every column derived from a reached column (one `from` edge, whatever its
///   transform) is reached one hop further;
/// - the node owning a reached column is reached at that column's depth
///   (``Via/lineage``);
/// - a node that lists a reached column in `inputs[].columns` is reached one hop
///   further (``Via/byName``);
/// - a node reading a reached node (or the start column's product) without declaring
///   which columns it reads is reached one hop further (``Via/columnsNotDeclared``; a
///   reader without any declaration, as in graph JSON, is ``Via/columnsUnknown``), and
///   in turn its own such readers.
///
/// **Upstream**, the columns the start column derives from, through every `from`
/// edge, and the nodes owning them (``Via/lineage``).
///
/// The start column's own product is never listed among the nodes (it owns the root).
/// A node reached several ways at its shortest depth keeps the first of ``Via``'s cases.
/// Every list is sorted, so the result depends only on the model.
public struct ColumnReach: Sendable, Equatable {
  /// How a node is reached.
  public enum Via: String, Sendable, Hashable, CaseIterable, Comparable {
    /// It owns a reached column (derived from the start column, or one it derives from).
    case lineage
    /// It lists a reached column in `inputs[].columns`.
    case byName = "by-name"
    /// It reads a reached node without `inputs[].columns`.
    case columnsNotDeclared = "columns-not-declared"
    /// It reads a reached node and has no declaration at all (graph JSON).
    case columnsUnknown = "columns-unknown"

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    /// Orders the ways in their declaration order.
    ///
    /// - Parameters:
    ///   - a: A way.
    ///   - b: Another way.
    /// - Returns: True when `a` is declared first.
    public static func < (a: Via, b: Via) -> Bool { a.rank < b.rank }

    /// A short note for reports ("reads without declaring columns").
    public var note: String {
      switch self {
      case .lineage: "column lineage"
      case .byName: "reads by name"
      case .columnsNotDeclared: "reads without declaring columns"
      case .columnsUnknown: "reads (columns unknown)"
      }
    }
  }

  /// One reached column.
  public struct ReachedColumn: Sendable, Equatable {
    /// The column (``ColumnGraph`` index).
    public var column: Int32
    /// Hops from the start column (0 for the start column itself).
    public var depth: Int
  }

  /// One reached node.
  public struct ReachedNode: Sendable, Equatable {
    /// The node (``LineageGraph`` index).
    public var node: Int32
    /// Hops from the start column.
    public var depth: Int
    /// How it is reached: at its shortest depth, the first of ``Via``'s cases that reaches it.
    public var via: Via
    /// What it is reached through: the reached column it owns or reads by name
    /// (``ColumnGraph`` index) for ``Via/lineage`` and ``Via/byName``, else nil.
    public var throughColumn: Int32?
    /// The reached node it reads, for ``Via/columnsNotDeclared`` and
    /// ``Via/columnsUnknown``, else nil.
    public var throughNode: Int32?
  }

  /// The start column.
  public var column: Int32
  /// The start column's product.
  public var product: Int32
  /// Which way the reach goes: ``Direction/downstream`` (derived columns and their readers) or
  /// ``Direction/upstream`` (the columns the start column derives from, and their owners).
  public var direction: Direction
  /// The depth limit, nil for none.
  public var maxDepth: Int?
  /// Reached columns, the start column included, sorted by qualified name (byte order).
  public var columns: [ReachedColumn]
  /// Reached nodes other than the start column's product, sorted by id (byte order).
  public var nodes: [ReachedNode]

  /// Splits a `PRODUCT.COLUMN` argument: at its last dot, when the argument is not
  /// itself a node id and the part before the dot is one.
  ///
  /// - Parameters:
  ///   - argument: The argument as given.
  ///   - graph: The graph whose ids it names.
  /// - Returns: The product and the column name, or nil when the argument is a node
  ///   id or names no product.
  /// - Complexity: O(L) expected for an argument of L bytes.
  public static func target(_ argument: String, in graph: LineageGraph) -> (product: Int32, column: String)? {
    guard graph.index(of: argument) == nil, let dot = argument.lastIndex(of: "."),
      let v = graph.index(of: String(argument[..<dot]))
    else { return nil }
    return (v, String(argument[argument.index(after: dot)...]))
  }

  /// The reach of the column a `PRODUCT.COLUMN` argument names, or nil when the
  /// argument does not have that form (see ``target(_:in:)``): the argument is a node
  /// id, or the part before its last dot is not one.
  ///
  /// - Parameters:
  ///   - model: The model.
  ///   - argument: `PRODUCT.COLUMN`.
  ///   - direction: Which way to follow lineage.
  ///   - maxDepth: The depth limit, nil for none.
  /// - Returns: The reach, or nil when the argument names no column of a product.
  /// - Throws: ``ImpactError`` when the product has no such column (see
  ///   ``column(_:of:named:)``).
  public static func resolving(
    _ model: LineageModel, _ argument: String, direction: Direction,
    maxDepth: Int? = nil
  ) throws(ImpactError) -> ColumnReach? {
    guard let (v, name) = target(argument, in: model.graph) else { return nil }
    return ColumnReach(model, column: try column(model, of: v, named: name), direction: direction, maxDepth: maxDepth)
  }

  /// The column `name` of node `v`, as every command that takes `PRODUCT.COLUMN` sees it:
  /// a column exists when the node's schema declares it, or when the node declares
  /// no schema and lineage names it.
  ///
  /// - Throws: ``ImpactError`` "'P' has no column 'C'", with a suggestion among the
  ///   declared columns when one is close.
  public static func column(_ model: LineageModel, of v: Int32, named name: String) throws(ImpactError) -> Int32 {
    let declared = model.declaration(of: v)?.schema.map(\.name) ?? []
    guard let c = model.columns.column(of: v, named: name), declared.isEmpty || declared.contains(name) else {
      throw ImpactError(
        .noSuchColumn, message: "'\(model.graph.id(v))' has no column '\(name)'",
        hint: Suggest.hint(for: name, in: declared))
    }
    return c
  }

  /// The reach of `column` in `direction`, up to `maxDepth` hops (nil: no limit).
  ///
  /// - Complexity: O(C + R + V + E) for the columns, lineage edges and named reads,
  ///   and the nodes and edges of the product graph that are visited.
  public init(_ model: LineageModel, column start: Int32, direction: Direction, maxDepth: Int? = nil) {
    let g = model.graph, cg = model.columns
    let product = cg.node[Int(start)]
    let limit = maxDepth ?? Int.max
    // States: columns 0..<C, then nodes C..<C+V. Depth -1: not reached.
    let cCount = cg.count
    var depth = [Int](repeating: -1, count: cCount + g.nodeCount)
    var via = [Via?](repeating: nil, count: g.nodeCount)
    var throughColumn = [Int32?](repeating: nil, count: g.nodeCount)
    var throughNode = [Int32?](repeating: nil, count: g.nodeCount)
    // Level by level; a zero-weight step (a column to its owner) joins the current level.
    var level: [Int] = [start.asInt]
    depth[start.asInt] = 0
    if direction == .downstream {
      depth[cCount + product.asInt] = 0
      level.append(cCount + product.asInt)
    }
    var d = 0
    func reachNode(_ v: Int32, at nd: Int, _ how: Via, column: Int32?, node: Int32?, into list: inout [Int]) {
      if v == product || nd > limit { return }
      let s = cCount + v.asInt
      let old = depth[s]
      if old >= 0 && old < nd { return }
      if old == nd {
        // Same depth: the first of Via's cases wins, then the smaller predecessor.
        if let o = via[v.asInt],
          o < how
            || (o == how
              && !Self.before(
                column, node, throughColumn[v.asInt],
                throughNode[v.asInt]))
        {
          return
        }
      } else {
        list.append(s)
      }
      depth[s] = nd
      via[v.asInt] = how
      throughColumn[v.asInt] = column
      throughNode[v.asInt] = node
    }
    while !level.isEmpty {
      var next: [Int] = []
      var i = 0
      while i < level.count {
        let s = level[i]
        i += 1
        if depth[s] != d { continue }  // superseded by a shorter depth
        if s < cCount {
          let c = Int32(s)
          // Its owner, at the same depth.
          reachNode(cg.node[s], at: d, .lineage, column: c, node: nil, into: &level)
          if d + 1 > limit { continue }
          for e in direction == .downstream ? cg.forward.neighbors(c) : cg.reverse.neighbors(c) where depth[e.asInt] < 0
          {
            depth[e.asInt] = d + 1
            next.append(e.asInt)
          }
          if direction == .downstream {
            for r in cg.reads.neighbors(c) { reachNode(r, at: d + 1, .byName, column: c, node: nil, into: &next) }
          }
        } else if direction == .downstream {
          let p = Int32(s - cCount)
          if d + 1 > limit { continue }
          let pid = g.id(p)
          for r in g.forward.neighbors(p) {
            if let rd = model.declaration(of: r) {
              if rd.inputs.contains(where: { $0.product == pid && $0.columns == nil }) {
                reachNode(r, at: d + 1, .columnsNotDeclared, column: nil, node: p, into: &next)
              }
            } else {
              reachNode(r, at: d + 1, .columnsUnknown, column: nil, node: p, into: &next)
            }
          }
        }
      }
      level = next
      d += 1
    }
    var columns: [ReachedColumn] = []
    for c in 0..<cCount where depth[c] >= 0 { columns.append(ReachedColumn(column: Int32(c), depth: depth[c])) }
    let qualified = columns.map { cg.qualifiedName($0.column, in: g) }
    columns = columns.indices.sorted { qualified[$0].utf8.lexicographicallyPrecedes(qualified[$1].utf8) }
      .map { columns[$0] }
    var nodes: [ReachedNode] = []
    for v in 0..<g.nodeCount where depth[cCount + v] >= 0 && Int32(v) != product {
      guard let how = via[v] else { continue }
      nodes.append(
        ReachedNode(
          node: Int32(v), depth: depth[cCount + v], via: how, throughColumn: throughColumn[v],
          throughNode: throughNode[v]))
    }
    let order = g.orderByID(nodes.map(\.node))
    nodes = order.map { nodes[Int($0)] }
    self.column = start
    self.product = product
    self.direction = direction
    self.maxDepth = maxDepth
    self.columns = columns
    self.nodes = nodes
  }

  /// A fixed order of predecessors for ties (indices, so it depends only on the model).
  static func before(_ c1: Int32?, _ n1: Int32?, _ c2: Int32?, _ n2: Int32?) -> Bool {
    (c1 ?? n1 ?? -1) < (c2 ?? n2 ?? -1)
  }
}

extension Int32 {
  @inline(__always) fileprivate var asInt: Int { Int(self) }
}
