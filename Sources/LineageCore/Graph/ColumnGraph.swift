/// Column-level lineage beside the product graph.
///
/// Every declared column of every node is a column node; each `from` entry is an
/// edge from the upstream column to the derived one, with its ``Transform``. A
/// `from` naming a column of a node that declares no schema creates an implicit
/// column there. Reads without lineage (`inputs[].columns`, as consumers declare
/// them) are kept as ``reads``.
public struct ColumnGraph: Sendable {
  /// The node (``LineageGraph`` index) each column belongs to.
  public let node: [Int32]
  /// Column names, interned; `nameOf[c]` indexes ``names``.
  public let names: Interner
  /// Each column's name as an index into ``names``, parallel to ``node``.
  public let nameOf: [Int32]
  /// False for implicit columns (named by lineage, not declared in a schema).
  public let declared: [Bool]
  /// Lineage edges: data flows from an upstream column to a derived one.
  public let forward: CSR
  /// The lineage edges reversed: `reverse.neighbors(c)` are the columns `c` derives from.
  public let reverse: CSR
  /// The strongest transform on each forward edge (same order as `forward.targets`).
  public let transform: [Transform]
  /// `reads.neighbors(c)` are the nodes that list column `c` in an `inputs[].columns` list.
  public let reads: CSR
  var lookup: [Int64: Int32]

  /// Number of columns.
  public var count: Int { node.count }

  /// The column of node `v` named `name`.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - name: A column name.
  /// - Returns: The column, or nil when the node has none of that name.
  public func column(of v: Int32, named name: String) -> Int32? {
    guard let s = names.lookup(name) else { return nil }
    return lookup[Self.key(v, s)]
  }

  /// The column's name.
  ///
  /// - Parameter c: A column.
  /// - Returns: Its name.
  public func name(_ c: Int32) -> String { names[nameOf[Int(c)]] }

  /// `PRODUCT.COLUMN` for display.
  ///
  /// - Parameters:
  ///   - c: A column.
  ///   - g: The product graph.
  /// - Returns: `PRODUCT.COLUMN`.
  public func qualifiedName(_ c: Int32, in g: LineageGraph) -> String { g.id(node[Int(c)]) + "." + name(c) }

  static func key(_ v: Int32, _ s: Int32) -> Int64 { Int64(v) << 32 | Int64(s) }

  /// Builds the column graph of a mesh over its product graph. References that do
  /// not resolve to a node are skipped (the resolver reports them).
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - g: Its product graph.
  public init(mesh: Mesh, graph g: LineageGraph) {
    var names = Interner()
    var node: [Int32] = [], nameOf: [Int32] = [], declared: [Bool] = []
    var lookup: [Int64: Int32] = [:]
    func column(_ v: Int32, _ name: String, declare: Bool) -> Int32 {
      let s = names.intern(name)
      let k = Self.key(v, s)
      if let c = lookup[k] {
        if declare { declared[Int(c)] = true }
        return c
      }
      let c = Int32(node.count)
      node.append(v)
      nameOf.append(s)
      declared.append(declare)
      lookup[k] = c
      return c
    }
    // The nodes are read in place, by index (a copy of each retains all its fields).
    let nodes = mesh.nodes
    var declaredColumns = 0
    for i in nodes.indices { declaredColumns += nodes[i].schema.count }
    lookup.reserveCapacity(declaredColumns)
    node.reserveCapacity(declaredColumns)
    nameOf.reserveCapacity(declaredColumns)
    declared.reserveCapacity(declaredColumns)
    var seen = Set<Int32>(minimumCapacity: nodes.count)
    for i in nodes.indices {
      guard let v = g.index(of: nodes[i].id), seen.insert(v).inserted else { continue }
      for k in nodes[i].schema.indices { _ = column(v, nodes[i].schema[k].name, declare: true) }
    }
    var edges: [(Int32, Int32, Transform)] = []
    var readNodes: [Int32] = [], readCols: [Int32] = []
    seen.removeAll()
    for i in nodes.indices {
      guard let v = g.index(of: nodes[i].id), seen.insert(v).inserted else { continue }
      for k in nodes[i].schema.indices {
        guard let dst = lookup[Self.key(v, names.intern(nodes[i].schema[k].name))] else { continue }
        for f in nodes[i].schema[k].from.indices {
          let product = nodes[i].schema[k].from[f].product
          guard let u = g.index(of: product), g.declared[Int(u)] else { continue }
          let src = column(u, nodes[i].schema[k].from[f].column, declare: false)
          edges.append((src, dst, nodes[i].schema[k].from[f].transform))
        }
      }
      for k in nodes[i].inputs.indices {
        guard let cols = nodes[i].inputs[k].columns, let u = g.index(of: nodes[i].inputs[k].product),
          g.declared[Int(u)]
        else { continue }
        for name in cols {
          readCols.append(column(u, name, declare: false))
          readNodes.append(v)
        }
      }
    }
    self.names = names
    self.node = node
    self.nameOf = nameOf
    self.declared = declared
    self.lookup = lookup
    let fwd = CSR(nodeCount: node.count, sources: edges.map(\.0), targets: edges.map(\.1))
    var strongest: [Int64: Transform] = [:]
    for (s, d, t) in edges {
      let k = Int64(s) << 32 | Int64(d)
      if let old = strongest[k], Self.strength(old) >= Self.strength(t) { continue }
      strongest[k] = t
    }
    var transform: [Transform] = []
    transform.reserveCapacity(fwd.edgeCount)
    for c in 0..<Int32(node.count) {
      for d in fwd.neighbors(c) { transform.append(strongest[Int64(c) << 32 | Int64(d)] ?? .identity) }
    }
    self.forward = fwd
    self.reverse = fwd.transposed()
    self.transform = transform
    self.reads = CSR(nodeCount: node.count, sources: readCols, targets: readNodes)
  }

  /// Direct transforms outrank indirect ones when one column feeds another twice.
  ///
  /// - Parameter t: A transform.
  /// - Returns: Its rank: higher is stronger.
  public static func strength(_ t: Transform) -> Int {
    switch t {
    case .identity: 3
    case .transformation: 2
    case .aggregation: 1
    default: 0
    }
  }
}
