/// Accumulates nodes and edges, then freezes them into a ``LineageGraph``.
public struct GraphBuilder: Sendable {
  /// The node ids so far, interned: the node at index `v` has id `ids[v]` (the built graph may
  /// renumber them, see ``renumberForLocality``).
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
  /// Compute the built graph's id ranks (``LineageGraph/rankIDs()``) while it is
  /// built: the ids are sorted on a second core while this one numbers the nodes and
  /// lays out the edges.
  public var rankIDs = false

  /// Creates a builder sized for about `capacity` nodes and `edges` edges.
  /// Ids seen only as edge endpoints get `defaultKind`.
  ///
  /// - Parameters:
  ///   - capacity: The expected number of nodes.
  ///   - edges: The expected number of edges.
  ///   - defaultKind: The kind of nodes never declared.
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
  ///
  /// - Parameter id: A node id.
  /// - Returns: Its index.
  public mutating func node(_ id: String) -> Int32 {
    var id = id
    return id.withUTF8 { node(bytes: $0) }
  }

  /// The index of the id with these UTF-8 bytes, creating an undeclared node when new.
  ///
  /// - Parameter bytes: The id as UTF-8.
  /// - Returns: Its index.
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
  ///
  /// - Parameter v: A node.
  /// - Returns: Whether it was declared.
  public func isDeclared(_ v: Int32) -> Bool { declared[Int(v)] }

  /// Declares node `v`'s attributes.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - k: Its kind.
  ///   - d: Its domain, if any.
  ///   - o: Its owner team, if any.
  ///   - s: Its lifecycle status.
  ///   - t: Its tags.
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
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - bytes: The domain as UTF-8.
  public mutating func setDomain(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    domain[Int(v)] = domainNames.intern(bytes: bytes)
  }

  /// Sets node `v`'s kind from raw bytes.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - bytes: The kind as UTF-8.
  public mutating func setKind(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    kind[Int(v)] = kindNames.intern(bytes: bytes)
  }

  /// Sets node `v`'s owner from raw bytes.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - bytes: The owner as UTF-8.
  public mutating func setOwner(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    owner[Int(v)] = ownerNames.intern(bytes: bytes)
  }

  /// Sets node `v`'s status.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - s: Its status.
  public mutating func setStatus(_ v: Int32, _ s: ProductStatus) { status[Int(v)] = s }

  /// Marks node `v` as declared (keeping the attributes set so far).
  ///
  /// - Parameter v: A node.
  public mutating func markDeclared(_ v: Int32) { declared[Int(v)] = true }

  /// Adds a tag to node `v`.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - bytes: The tag as UTF-8.
  public mutating func addTag(_ v: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    tagNodes.append(v)
    tagValues.append(tagNames.intern(bytes: bytes))
  }

  /// Adds a tag to node `v`.
  ///
  /// - Parameters:
  ///   - v: A node.
  ///   - tag: The tag.
  public mutating func addTag(_ v: Int32, _ tag: String) {
    tagNodes.append(v)
    tagValues.append(tagNames.intern(tag))
  }

  /// Adds the edge `src -> dst` (data flows from `src` to `dst`). Duplicates collapse.
  ///
  /// - Parameters:
  ///   - src: The node read.
  ///   - dst: The node that reads it.
  public mutating func addEdge(_ src: Int32, _ dst: Int32) {
    edgeSources.append(src)
    edgeTargets.append(dst)
  }

  /// Freezes the builder into a graph.
  ///
  /// - Returns: The graph.
  /// - Complexity: O(V + E log d).
  public func build() -> LineageGraph { LineageGraph(builder: self) }
}
