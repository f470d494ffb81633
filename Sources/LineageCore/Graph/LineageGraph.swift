/// The product-level lineage graph in compact form.
///
/// Node ids are interned into dense `Int32` indices; node attributes are parallel
/// arrays of interned symbols; edges (data flows from `src` to `dst`) are stored as
/// forward and reverse ``CSR`` adjacency. Build one with ``GraphBuilder`` or from a
/// ``Mesh`` with ``init(mesh:)``.
public struct LineageGraph: Sendable {
  /// Node ids.
  public let ids: Interner
  /// Kind names; `kind[v]` indexes this table.
  public let kindNames: Interner
  /// Domain ids; `domain[v]` indexes this table, -1 for none.
  public let domainNames: Interner
  /// Team ids; `owner[v]` indexes this table, -1 for none.
  public let ownerNames: Interner
  /// Tag names.
  public let tagNames: Interner
  /// Each node's kind, as an index into ``kindNames``; see ``kindName(_:)``.
  public let kind: FlatArray<Int32>
  /// Each node's domain, as an index into ``domainNames``, -1 for none; see ``domainName(_:)``.
  public let domain: FlatArray<Int32>
  /// Each node's owner team (built from a mesh: its own, else its domain's), as an index into
  /// ``ownerNames``, -1 for none; see ``ownerName(_:)``.
  public let owner: FlatArray<Int32>
  /// Each node's lifecycle status; ``ProductStatus/active`` for nodes that declare none.
  public let status: [ProductStatus]
  /// Tags of node `v`: `tagNames` indices in `tags.neighbors(v)`.
  public let tags: CSR
  /// Data flows: `forward.neighbors(v)` are the nodes reading `v`.
  public let forward: CSR
  /// `reverse.neighbors(v)` are the nodes `v` reads.
  public let reverse: CSR
  /// True for nodes that were declared, false for ids only seen as edge endpoints.
  public let declared: [Bool]
  /// For imported graphs: each node's resource in the tool it came from (nil for
  /// other nodes); empty when no node has one.
  public internal(set) var resources = ResourceTable()
  /// True when the resources came from dbt (they carry fully qualified names): bare
  /// selector values then mean what they mean to dbt.
  public internal(set) var usesDBTSelection = false
  /// Each node's rank in the byte order of the ids (see ``Interner/byteOrderRanks()``),
  /// when computed (``rankIDs()``, or read from a cached image); empty otherwise. With
  /// it, sorting nodes by id compares no bytes at all.
  public internal(set) var idRank: FlatArray<Int32> = []

  /// Number of nodes.
  @inlinable public var nodeCount: Int { kind.count }
  /// Number of distinct edges.
  @inlinable public var edgeCount: Int { forward.edgeCount }

  init(builder b: GraphBuilder) {
    kindNames = b.kindNames
    domainNames = b.domainNames
    ownerNames = b.ownerNames
    tagNames = b.tagNames
    let n = b.kind.count
    // The ids' byte order, sorted on a second core meanwhile (the ids are final: the
    // renumbering below only permutes them).
    let ranking = b.rankIDs && n >= 2 ? RankedIDs(b.ids) : nil
    var newToOld: [Int32]?
    var fwd = CSR(nodeCount: n, sources: b.edgeSources, targets: b.edgeTargets)
    var tagRows = CSR(nodeCount: n, sources: b.tagNodes, targets: b.tagValues)
    if b.renumberForLocality, n >= 2 {
      // Nodes numbered in a topological order: a traversal then reads neighbouring
      // rows and bits, which roughly halves its cache misses on large graphs.
      let order = fwd.localityOrder()
      newToOld = order
      var oldToNew = [Int32](repeating: 0, count: n)
      for (new, old) in order.enumerated() { oldToNew[Int(old)] = Int32(new) }
      ids = b.ids.permuted(order)
      kind = FlatArray(order.map { b.kind[Int($0)] })
      domain = FlatArray(order.map { b.domain[Int($0)] })
      owner = FlatArray(order.map { b.owner[Int($0)] })
      status = order.map { b.status[Int($0)] }
      declared = order.map { b.declared[Int($0)] }
      fwd = fwd.permuted(newToOld: order, oldToNew: oldToNew)
      tagRows = tagRows.permuted(newToOld: order, oldToNew: nil)
    } else {
      ids = b.ids
      kind = FlatArray(b.kind)
      domain = FlatArray(b.domain)
      owner = FlatArray(b.owner)
      status = b.status
      declared = b.declared
    }
    tags = tagRows
    forward = fwd
    reverse = fwd.transposed()
    if let ranking {
      // Ranks by the ids' old numbers, then by the new.
      let old = ranking.wait()
      idRank = FlatArray(newToOld.map { order in order.map { old[Int($0)] } } ?? old)
    }
  }

  /// A graph rebuilt from its parts (``GraphImage``, which checks them first).
  init(
    ids: Interner, kindNames: Interner, domainNames: Interner, ownerNames: Interner, tagNames: Interner,
    kind: FlatArray<Int32>, domain: FlatArray<Int32>, owner: FlatArray<Int32>, status: [ProductStatus], tags: CSR,
    forward: CSR,
    reverse: CSR, declared: [Bool]
  ) {
    self.ids = ids
    self.kindNames = kindNames
    self.domainNames = domainNames
    self.ownerNames = ownerNames
    self.tagNames = tagNames
    self.kind = kind
    self.domain = domain
    self.owner = owner
    self.status = status
    self.tags = tags
    self.forward = forward
    self.reverse = reverse
    self.declared = declared
  }

  /// The index of the node with this id.
  ///
  /// - Parameter id: A node id.
  /// - Returns: Its index, or nil when the graph has no such node.
  public func index(of id: String) -> Int32? { ids.lookup(id) }

  /// The id of node `v`.
  ///
  /// - Parameter v: A node.
  /// - Returns: Its id.
  public func id(_ v: Int32) -> String { ids[v] }
  /// The kind of node `v`.
  ///
  /// - Parameter v: A node.
  /// - Returns: Its kind's name.
  public func kindName(_ v: Int32) -> String { kindNames[kind[Int(v)]] }
  /// The domain of node `v`, if any.
  ///
  /// - Parameter v: A node.
  /// - Returns: Its domain, or nil.
  public func domainName(_ v: Int32) -> String? { domain[Int(v)] < 0 ? nil : domainNames[domain[Int(v)]] }
  /// The owner team of node `v`, if any.
  ///
  /// - Parameter v: A node.
  /// - Returns: Its owner team, or nil.
  public func ownerName(_ v: Int32) -> String? { owner[Int(v)] < 0 ? nil : ownerNames[owner[Int(v)]] }
  /// The tags of node `v`.
  ///
  /// - Parameter v: A node.
  /// - Returns: Its tags.
  public func tagList(_ v: Int32) -> [String] { tags.neighbors(v).map { tagNames[$0] } }

  /// Sorts node indices by id (byte order), in place.
  ///
  /// - Parameter nodes: Node indices, sorted in place.
  /// - Complexity: O(n log n) comparisons of ids.
  public func sortByID(_ nodes: inout [Int32]) {
    let order = orderByID(nodes)
    nodes = order.map { nodes[Int($0)] }
  }

  /// The positions of `nodes` in id order (byte order): `nodes[result[0]]` has the
  /// smallest id. With ``idRank``, a scatter over the ranks (large lists) or a sort of
  /// integers (small ones); without, ``Interner/orderByBytes(_:)``.
  ///
  /// - Parameter nodes: Node indices; each at most once for the scatter.
  /// - Returns: Positions into `nodes`, in id order.
  /// - Complexity: O(V) or O(n log n) integer comparisons with ranks.
  public func orderByID(_ nodes: [Int32]) -> [Int32] {
    var scratch: [Int32] = []
    return orderByID(nodes, reusing: &scratch)
  }

  /// ``orderByID(_:)`` with a scratch array of the caller's (its contents are
  /// overwritten): one the caller has touched already costs no fresh memory.
  ///
  /// - Parameters:
  ///   - nodes: Node indices; each at most once for the scatter.
  ///   - scratch: Any array; it holds what the scatter left when this returns.
  /// - Returns: Positions into `nodes`, in id order.
  public func orderByID(_ nodes: [Int32], reusing scratch: inout [Int32]) -> [Int32] {
    guard idRank.count == nodeCount, nodeCount > 0 else { return ids.orderByBytes(nodes) }
    let n = nodes.count
    if n * 8 >= nodeCount {
      var slot = scratch
      scratch = []
      if slot.count == nodeCount {
        slot.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
      } else {
        slot = [Int32](repeating: -1, count: nodeCount)
      }
      defer { scratch = slot }
      var unique = true
      idRank.withUnsafeBufferPointer { rank in
        slot.withUnsafeMutableBufferPointer { s in
          for (i, v) in nodes.enumerated() {
            let r = Int(rank[Int(v)])
            if s[r] >= 0 { unique = false }
            s[r] = Int32(i)
          }
        }
      }
      if unique {
        var order = [Int32]()
        order.reserveCapacity(n)
        for p in slot where p >= 0 { order.append(p) }
        return order
      }
    }
    var keys = nodes.enumerated().map { UInt64(UInt32(idRank[Int($1)])) << 32 | UInt64(UInt32($0)) }
    keys.sort()
    return keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
  }

  /// Computes ``idRank``, so that later sorts by id compare integers.
  ///
  /// - Complexity: O(V log V), once.
  public mutating func rankIDs() {
    if idRank.count != nodeCount { idRank = FlatArray(ids.byteOrderRanks()) }
  }
}

extension LineageGraph {
  /// The product graph of a declared mesh: one node per declared node (the first
  /// declaration of a duplicate id), one edge per resolved input. Inputs naming
  /// unknown ids add no edge (the resolver reports them).
  ///
  /// - Parameter mesh: The declared mesh.
  /// - Complexity: O(N + I + E log d) for N nodes and I inputs.
  public init(mesh: Mesh) {
    var places = MeshPlaces()
    self.init(mesh: mesh, places: &places)
  }

  /// ``init(mesh:)``, noting where each declaration and each input landed.
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - places: Set to the graph node of each declaration and input.
  init(mesh: Mesh, places: inout MeshPlaces) {
    // The nodes are read in place, by index: a copy of each node (a loop over
    // `mesh.nodes`) retains every field it has, which costs more than the rest.
    let nodes = mesh.nodes
    var edges = 0
    for i in nodes.indices { edges += nodes[i].inputs.count }
    var b = GraphBuilder(capacity: nodes.count, edges: edges)
    let owners = mesh.domainOwners
    var at = [Int32](repeating: -1, count: nodes.count)
    for i in nodes.indices {
      let v = b.node(nodes[i].id)
      at[i] = v
      if b.isDeclared(v) { continue }
      b.declare(
        v, kind: nodes[i].kind, domain: nodes[i].domain,
        owner: nodes[i].owner ?? nodes[i].domain.flatMap { owners[$0] },
        status: nodes[i].status, tags: nodes[i].tags)
    }
    // Every id is interned by now: an input's product is declared when it is found.
    var start = [Int32](repeating: 0, count: nodes.count + 1)
    var read = [Int32](repeating: -1, count: edges)
    var e = 0
    for i in nodes.indices {
      let dst = at[i]
      for k in nodes[i].inputs.indices {
        if let src = b.ids.lookup(nodes[i].inputs[k].product) {
          read[e] = src
          b.addEdge(src, dst)
        }
        e += 1
      }
      start[i + 1] = Int32(e)
    }
    places = MeshPlaces(node: at, inputStart: start, inputNode: read)
    self = b.build()
    if nodes.indices.contains(where: { nodes[$0].resourceBox != nil }) {
      var r = [ResourceBox?](repeating: nil, count: nodeCount)
      for i in nodes.indices where r[Int(at[i])] == nil { r[Int(at[i])] = nodes[i].resourceBox }
      resources = ResourceTable(r)
      usesDBTSelection = resources.qualified > 0
    }
  }
}

extension Mesh {
  /// The owner team of each domain that has one: a node without an owner of its own
  /// is its domain's.
  var domainOwners: [String: String] {
    var owners: [String: String] = [:]
    for d in domains { if let o = d.owner { owners[d.id] = o } }
    return owners
  }
}
