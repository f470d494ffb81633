public import LineageCore

/// One node in a result list, with what the reports show about it.
public struct NodeRow: Sendable, Equatable {
  /// The node's id; for a column row, the column's qualified name `PRODUCT.COLUMN`.
  public var id: String
  /// The node's kind (`product`, `model`, ...), `column` for a column row.
  public var kind: String
  /// The node's domain (a column row's: its product's), nil for none.
  public var domain: String?
  /// The owning team (the node's own, else its domain's; a column row's: its product's), nil for
  /// none.
  public var owner: String?
  /// Hops from the nearest root (0 for a root).
  public var depth: Int
  /// The lifecycle status as specs write it (`active`, `deprecated`, ...); a column row has its
  /// product's.
  public var status: String
  /// The node's display name, when it declares one; nil for column rows.
  public var name: String?
  /// Where the node comes from, for imported and merged inputs ("observed in events.json").
  public var provenance: [String] = []
  /// For a node reached from a column: how (``ColumnReach/Via/note``, "reads without
  /// declaring columns"), and the column or node it is reached through.
  public var via: String?
  /// For a node reached from a column: the qualified name of the column it owns or reads by name,
  /// or the id of the node it reads (see ``via``); nil otherwise.
  public var through: String?
  /// The same, as one sentence for text ("reads P without declaring columns").
  public var viaText: String?

  /// Creates a row; each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - id: Sets ``id``.
  ///   - kind: Sets ``kind``.
  ///   - domain: Sets ``domain``.
  ///   - owner: Sets ``owner``.
  ///   - depth: Sets ``depth``.
  ///   - status: Sets ``status``.
  ///   - name: Sets ``name``.
  public init(
    id: String, kind: String, domain: String?, owner: String?, depth: Int, status: String,
    name: String? = nil
  ) {
    self.id = id
    self.kind = kind
    self.domain = domain
    self.owner = owner
    self.depth = depth
    self.status = status
    self.name = name
  }

  /// Rows for graph nodes and their depths, sorted by id.
  public static func rows(_ model: LineageModel, nodes: [Int32], depths: [Int32]) -> [NodeRow] {
    NodeTable(model: model, nodes: nodes, depths: depths).rows
  }

  /// Rows for a column's reach: its columns and its nodes (each with how it is
  /// reached), sorted by id.
  public static func rows(_ model: LineageModel, reach: ColumnReach) -> [NodeRow] {
    let g = model.graph, cg = model.columns
    var rows = columnRows(model, columns: reach.columns.map(\.column), depths: reach.columns.map { Int32($0.depth) })
    var nodeRows = Self.rows(model, nodes: reach.nodes.map(\.node), depths: reach.nodes.map { Int32($0.depth) })
    for (i, n) in reach.nodes.enumerated() {
      // Both lists are sorted by id.
      let through = n.throughColumn.map { cg.qualifiedName($0, in: g) } ?? n.throughNode.map { g.id($0) }
      nodeRows[i].via = n.via.note
      nodeRows[i].through = through
      let t = through ?? "?"
      switch n.via {
      case .lineage:
        // The row is the column's owner: its name is enough.
        let column = n.throughColumn.map { cg.name($0) } ?? t
        nodeRows[i].viaText = reach.direction == .downstream ? "derives \(column)" : "provides \(column)"
      case .byName: nodeRows[i].viaText = "reads \(t) by name"
      case .columnsNotDeclared: nodeRows[i].viaText = "reads \(t) without declaring columns"
      case .columnsUnknown: nodeRows[i].viaText = "reads \(t) (columns unknown)"
      }
    }
    rows += nodeRows
    rows.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    return rows
  }

  /// Rows for columns of the column graph, sorted by qualified name.
  public static func columnRows(_ model: LineageModel, columns: [Int32], depths: [Int32]) -> [NodeRow] {
    let g = model.graph, cg = model.columns
    var rows = zip(columns, depths).map { c, d in
      let v = cg.node[Int(c)]
      return NodeRow(
        id: cg.qualifiedName(c, in: g), kind: "column", domain: g.domainName(v), owner: g.ownerName(v),
        depth: Int(d), status: g.status[Int(v)].rawValue)
    }
    rows.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    return rows
  }
}
