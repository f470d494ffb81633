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
  public let kind: [Int32]
  public let domain: [Int32]
  public let owner: [Int32]
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
  public internal(set) var resources: [ImportedResource?] = []
  /// True when the resources came from dbt (they carry fully qualified names): bare
  /// selector values then mean what they mean to dbt.
  public internal(set) var usesDBTSelection = false

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
    var fwd = CSR(nodeCount: n, sources: b.edgeSources, targets: b.edgeTargets)
    var tagRows = CSR(nodeCount: n, sources: b.tagNodes, targets: b.tagValues)
    if b.renumberForLocality, n >= 2 {
      // Nodes numbered in a topological order: a traversal then reads neighbouring
      // rows and bits, which roughly halves its cache misses on large graphs.
      let newToOld = fwd.localityOrder()
      var oldToNew = [Int32](repeating: 0, count: n)
      for (new, old) in newToOld.enumerated() { oldToNew[Int(old)] = Int32(new) }
      ids = b.ids.permuted(newToOld)
      kind = newToOld.map { b.kind[Int($0)] }
      domain = newToOld.map { b.domain[Int($0)] }
      owner = newToOld.map { b.owner[Int($0)] }
      status = newToOld.map { b.status[Int($0)] }
      declared = newToOld.map { b.declared[Int($0)] }
      fwd = fwd.permuted(newToOld: newToOld, oldToNew: oldToNew)
      tagRows = tagRows.permuted(newToOld: newToOld, oldToNew: nil)
    } else {
      ids = b.ids
      kind = b.kind
      domain = b.domain
      owner = b.owner
      status = b.status
      declared = b.declared
    }
    tags = tagRows
    forward = fwd
    reverse = fwd.transposed()
  }

  /// The index of the node with this id.
  public func index(of id: String) -> Int32? { ids.lookup(id) }

  /// The id of node `v`.
  public func id(_ v: Int32) -> String { ids[v] }
  /// The kind of node `v`.
  public func kindName(_ v: Int32) -> String { kindNames[kind[Int(v)]] }
  /// The domain of node `v`, if any.
  public func domainName(_ v: Int32) -> String? { domain[Int(v)] < 0 ? nil : domainNames[domain[Int(v)]] }
  /// The owner team of node `v`, if any.
  public func ownerName(_ v: Int32) -> String? { owner[Int(v)] < 0 ? nil : ownerNames[owner[Int(v)]] }
  /// The tags of node `v`.
  public func tagList(_ v: Int32) -> [String] { tags.neighbors(v).map { tagNames[$0] } }

  /// Sorts node indices by id (byte order), in place.
  public func sortByID(_ nodes: inout [Int32]) { nodes.sort { ids.precedes($0, $1) } }
}

/// Accumulates nodes and edges, then freezes them into a ``LineageGraph``.
public struct GraphBuilder: Sendable {
  public private(set) var ids: Interner
  var kindNames = Interner()
  var domainNames = Interner()
  var ownerNames = Interner()
  var tagNames = Interner()
  var kind: [Int32] = []
  var domain: [Int32] = []
  var owner: [Int32] = []
  var status: [ProductStatus] = []
  var declared: [Bool] = []
  var tagNodes: [Int32] = []
  var tagValues: [Int32] = []
  var edgeSources: [Int32] = []
  var edgeTargets: [Int32] = []
  let defaultKind: Int32
  /// Number the built graph's nodes in a topological order rather than in the order
  /// they were added (for large inputs, where locality pays; indices then differ
  /// from the order of ``node(_:)`` calls).
  public var renumberForLocality = false

  /// Creates a builder sized for about `capacity` nodes and `edges` edges.
  /// Ids seen only as edge endpoints get `defaultKind`.
  public init(capacity: Int = 16, edges: Int = 16, defaultKind: NodeKind = .product) {
    ids = Interner(capacity: capacity)
    kind.reserveCapacity(capacity)
    domain.reserveCapacity(capacity)
    owner.reserveCapacity(capacity)
    status.reserveCapacity(capacity)
    declared.reserveCapacity(capacity)
    edgeSources.reserveCapacity(edges)
    edgeTargets.reserveCapacity(edges)
    self.defaultKind = kindNames.intern(defaultKind.rawValue)
  }

  /// Number of nodes so far.
  public var nodeCount: Int { kind.count }

  /// The index of `id`, creating an undeclared node when it is new.
  public mutating func node(_ id: String) -> Int32 {
    var id = id
    return id.withUTF8 { node(bytes: $0) }
  }

  /// The index of the id with these UTF-8 bytes, creating an undeclared node when new.
  public mutating func node(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    let v = ids.intern(bytes: bytes)
    if Int(v) == kind.count {
      kind.append(defaultKind)
      domain.append(-1)
      owner.append(-1)
      status.append(.active)
      declared.append(false)
    }
    return v
  }

  /// True when `v` was declared with ``declare(_:kind:domain:owner:status:tags:)``.
  public func isDeclared(_ v: Int32) -> Bool { declared[Int(v)] }

  /// Declares node `v`'s attributes.
  public mutating func declare(
    _ v: Int32, kind k: NodeKind, domain d: String?, owner o: String?, status s: ProductStatus = .active,
    tags t: [String] = []
  ) {
    let i = Int(v)
    kind[i] = kindNames.intern(k.rawValue)
    domain[i] = d.map { domainNames.intern($0) } ?? -1
    owner[i] = o.map { ownerNames.intern($0) } ?? -1
    status[i] = s
    declared[i] = true
    for tag in t {
      tagNodes.append(v)
      tagValues.append(tagNames.intern(tag))
    }
  }

  /// Sets node `v`'s domain from raw bytes (the fast path of the graph JSON loader).
  public mutating func setDomain(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    domain[Int(v)] = domainNames.intern(bytes: bytes)
  }

  /// Sets node `v`'s kind from raw bytes.
  public mutating func setKind(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    kind[Int(v)] = kindNames.intern(bytes: bytes)
  }

  /// Sets node `v`'s owner from raw bytes.
  public mutating func setOwner(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    owner[Int(v)] = ownerNames.intern(bytes: bytes)
  }

  /// Sets node `v`'s status.
  public mutating func setStatus(_ v: Int32, _ s: ProductStatus) { status[Int(v)] = s }

  /// Marks node `v` as declared (keeping the attributes set so far).
  public mutating func markDeclared(_ v: Int32) { declared[Int(v)] = true }

  /// Adds a tag to node `v`.
  public mutating func addTag(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    tagNodes.append(v)
    tagValues.append(tagNames.intern(bytes: bytes))
  }

  /// Adds a tag to node `v`.
  public mutating func addTag(_ v: Int32, _ tag: String) {
    tagNodes.append(v)
    tagValues.append(tagNames.intern(tag))
  }

  /// Adds the edge `src -> dst` (data flows from `src` to `dst`). Duplicates collapse.
  public mutating func addEdge(_ src: Int32, _ dst: Int32) {
    edgeSources.append(src)
    edgeTargets.append(dst)
  }

  /// Freezes the builder into a graph.
  ///
  /// - Complexity: O(V + E log d).
  public func build() -> LineageGraph { LineageGraph(builder: self) }
}

extension LineageGraph {
  /// The product graph of a declared mesh: one node per declared node (the first
  /// declaration of a duplicate id), one edge per resolved input. Inputs naming
  /// unknown ids add no edge (the resolver reports them).
  public init(mesh: Mesh) {
    var b = GraphBuilder(capacity: mesh.nodes.count, edges: mesh.nodes.reduce(0) { $0 + $1.inputs.count })
    var owners: [String: String] = [:]
    for d in mesh.domains { if let o = d.owner { owners[d.id] = o } }
    for n in mesh.nodes {
      let v = b.node(n.id)
      if b.isDeclared(v) { continue }
      b.declare(v, kind: n.kind, domain: n.domain, owner: n.owner ?? n.domain.flatMap { owners[$0] },
                status: n.status, tags: n.tags)
    }
    for n in mesh.nodes {
      guard let dst = b.ids.lookup(n.id) else { continue }
      for input in n.inputs {
        guard let src = b.ids.lookup(input.product), b.isDeclared(src) else { continue }
        b.addEdge(src, dst)
      }
    }
    self = b.build()
    if mesh.nodes.contains(where: { $0.resource != nil }) {
      var r = [ImportedResource?](repeating: nil, count: nodeCount)
      for n in mesh.nodes {
        if let v = ids.lookup(n.id), r[Int(v)] == nil { r[Int(v)] = n.resource }
      }
      resources = r
      usesDBTSelection = r.contains { !($0?.fqn.isEmpty ?? true) }
    }
  }
}
