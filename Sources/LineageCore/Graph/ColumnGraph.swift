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
  /// Each node's columns (``LineageGraph`` index to columns), for lookups by name.
  let byNode: CSR
  /// The columns of wide nodes (more than ``scanned`` declared) and every implicit
  /// column, by ``key(_:_:)``: a few columns are found by a scan, many by a hash.
  let hashed: [Int64: Int32]
  /// Up to this many columns, a node's columns are scanned for a name.
  static let scanned = 16

  /// Number of columns.
  public var count: Int { node.count }

  /// The column of node `v` named `name`.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - name: A column name.
  /// - Returns: The column, or nil when the node has none of that name.
  public func column(of v: Int32, named name: String) -> Int32? {
    guard let s = names.lookup(name), Int(v) < byNode.nodeCount else { return nil }
    let columns = byNode.neighbors(v)
    if columns.count > Self.scanned, let c = hashed[Self.key(v, s)] { return c }
    for c in columns where nameOf[Int(c)] == s { return c }
    return nil
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
  public init(mesh: Mesh, graph g: LineageGraph) { self.init(mesh: mesh, graph: g, places: nil) }

  /// ``init(mesh:graph:)`` with the graph nodes of the declarations and inputs found
  /// when the graph was built (nil: each is looked up).
  init(mesh: Mesh, graph g: LineageGraph, places: MeshPlaces?) {
    var names = Interner()
    var node: [Int32] = [], nameOf: [Int32] = [], declared: [Bool] = []
    // A node's declared columns are numbered together, from `first[v]` (-1: none) to
    // `end[v]`: a declared column of a node with a few is found by a scan of them, not
    // a hash. Those of wide nodes, and columns named by lineage only (implicit), are
    // found in `hashed`.
    // A bare graph (graph JSON: no declared mesh) has no columns: no table per node.
    let tableSize = mesh.nodes.isEmpty ? 0 : g.nodeCount
    var first = [Int32](repeating: -1, count: tableSize)
    var end = [Int32](repeating: -1, count: tableSize)
    var hashed: [Int64: Int32] = [:]
    func find(_ v: Int32, _ s: Int32) -> Int32? {
      let lo = first[Int(v)]
      if lo >= 0, end[Int(v)] - lo <= Int32(Self.scanned) {
        var c = lo
        while c < end[Int(v)] {
          if nameOf[Int(c)] == s { return c }
          c += 1
        }
      }
      return hashed.isEmpty ? nil : hashed[Self.key(v, s)]
    }
    func column(_ v: Int32, _ name: String) -> Int32 {
      let s = names.intern(name)
      if let c = find(v, s) { return c }
      let c = Int32(node.count)
      node.append(v)
      nameOf.append(s)
      declared.append(false)
      hashed[Self.key(v, s)] = c
      return c
    }
    // The nodes are read in place, by index (a copy of each retains all its fields).
    let nodes = mesh.nodes
    var declaredColumns = 0
    for i in nodes.indices { declaredColumns += nodes[i].schema.count }
    node.reserveCapacity(declaredColumns)
    nameOf.reserveCapacity(declaredColumns)
    declared.reserveCapacity(declaredColumns)
    // The node of each declaration, read once (-1: a repeated declaration of an id,
    // which adds nothing).
    var at = [Int32](repeating: -1, count: nodes.count)
    for i in nodes.indices {
      guard let v = places.map({ $0.node[i] }) ?? g.index(of: nodes[i].id), first[Int(v)] < 0, end[Int(v)] < 0
      else { continue }
      at[i] = v
      first[Int(v)] = Int32(node.count)
      Self.appendDeclared(nodes[i].schema, of: v, names: &names, node: &node, nameOf: &nameOf, hashed: &hashed)
      declared.append(contentsOf: repeatElement(true, count: node.count - Int(first[Int(v)])))
      end[Int(v)] = Int32(node.count)
    }
    // The node a column's lineage names: most name one of the node's few inputs, whose
    // node is known; others are looked up.
    func product(_ i: Int, _ id: String) -> Int32? {
      if let places, nodes[i].inputs.count <= 8 {
        for k in nodes[i].inputs.indices where nodes[i].inputs[k].product == id { return places.input(i, k) }
      }
      return g.index(of: id)
    }
    var edges: [(Int32, Int32, Transform)] = []
    var readNodes: [Int32] = [], readCols: [Int32] = []
    for i in nodes.indices {
      let v = at[i]
      guard v >= 0 else { continue }
      for k in nodes[i].schema.indices where !nodes[i].schema[k].from.isEmpty {
        guard let s = names.lookup(nodes[i].schema[k].name), let dst = find(v, s) else { continue }
        for f in nodes[i].schema[k].from.indices {
          guard let u = product(i, nodes[i].schema[k].from[f].product), g.declared[Int(u)] else { continue }
          let src = column(u, nodes[i].schema[k].from[f].column)
          edges.append((src, dst, nodes[i].schema[k].from[f].transform))
        }
      }
      for k in nodes[i].inputs.indices {
        guard let cols = nodes[i].inputs[k].columns,
          let u = places.map({ $0.input(i, k) }) ?? g.index(of: nodes[i].inputs[k].product), g.declared[Int(u)]
        else { continue }
        for name in cols {
          readCols.append(column(u, name))
          readNodes.append(v)
        }
      }
    }
    self.init(
      node: node, names: names, nameOf: nameOf, declared: declared, hashed: hashed, edges: edges,
      reads: (readCols, readNodes))
  }

  /// A column graph from its columns, lineage edges (in the order met: of the edges
  /// between two columns, the first of the strongest transform counts) and reads
  /// (column, reading node).
  init(
    node: [Int32], names: Interner, nameOf: [Int32], declared: [Bool], hashed: [Int64: Int32],
    edges: [(Int32, Int32, Transform)], reads: (columns: [Int32], nodes: [Int32])
  ) {
    self.names = names
    self.node = node
    self.nameOf = nameOf
    self.declared = declared
    // Rows up to the last node with a column (``column(of:named:)`` checks the bound).
    self.byNode = CSR(
      nodeCount: Int(node.max() ?? -1) + 1, sources: node, targets: (0..<Int32(node.count)).map { $0 })
    self.hashed = hashed
    var sources: [Int32] = [], targets: [Int32] = []
    sources.reserveCapacity(edges.count)
    targets.reserveCapacity(edges.count)
    for e in edges {
      sources.append(e.0)
      targets.append(e.1)
    }
    let fwd = CSR(nodeCount: node.count, sources: sources, targets: targets)
    // Each edge's strongest transform, at its place in the sorted rows.
    var strength = [Int8](repeating: -1, count: fwd.edgeCount)
    var transform = [Transform](repeating: .identity, count: fwd.edgeCount)
    let offsets = fwd.offsets
    for (s, d, t) in edges {
      var lo = Int(offsets[Int(s)]), hi = Int(offsets[Int(s) + 1])
      while lo < hi {
        let mid = (lo + hi) / 2
        if fwd.targets[mid] < d { lo = mid + 1 } else { hi = mid }
      }
      let k = Int8(Self.strength(t))
      if k > strength[lo] {
        strength[lo] = k
        transform[lo] = t
      }
    }
    self.forward = fwd
    self.reverse = fwd.transposed()
    self.transform = transform
    self.reads = CSR(nodeCount: node.count, sources: reads.columns, targets: reads.nodes)
  }

  /// Appends node `v`'s declared columns to `node` and `nameOf`, numbered together: a
  /// name declared twice in one schema is one column (the resolver reports it); a wide
  /// node's columns (more than ``scanned``) are found through `hashed`, so they go in it.
  static func appendDeclared(
    _ schema: [Column], of v: Int32, names: inout Interner, node: inout [Int32], nameOf: inout [Int32],
    hashed: inout [Int64: Int32]
  ) {
    let first = Int32(node.count)
    let wide = schema.count > scanned
    for k in schema.indices {
      let s = names.intern(schema[k].name)
      if wide {
        guard hashed[key(v, s)] == nil else { continue }
        hashed[key(v, s)] = Int32(node.count)
      } else {
        var c = first
        while c < Int32(node.count), nameOf[Int(c)] != s { c += 1 }
        guard c == Int32(node.count) else { continue }
      }
      node.append(v)
      nameOf.append(s)
    }
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
