/// Compressed sparse row adjacency: the neighbours of node `v` are
/// `targets[offsets[v] ..< offsets[v + 1]]`, sorted and without duplicates.
public struct CSR: Sendable, Equatable {
  /// `nodeCount + 1` offsets into `targets`.
  public let offsets: FlatArray<Int32>
  /// Neighbour indices, row by row.
  public let targets: FlatArray<Int32>

  /// Number of rows (nodes).
  @inlinable public var nodeCount: Int { offsets.count - 1 }
  /// Number of stored edges.
  @inlinable public var edgeCount: Int { targets.count }

  /// The neighbours of `v`.
  ///
  /// - Parameter v: A row.
  /// - Returns: The row, sorted, as a slice of ``targets``.
  /// - Complexity: O(1).
  @inlinable public func neighbors(_ v: Int32) -> Slice<FlatArray<Int32>> {
    targets[Int(offsets[Int(v)])..<Int(offsets[Int(v) + 1])]
  }

  /// Number of neighbours of `v`.
  ///
  /// - Parameter v: A row.
  /// - Returns: The length of the row.
  /// - Complexity: O(1).
  @inlinable public func degree(_ v: Int32) -> Int { Int(offsets[Int(v) + 1] - offsets[Int(v)]) }

  /// Whether `v` has the edge to `w`.
  ///
  /// - Parameters:
  ///   - v: A row.
  ///   - w: A node.
  /// - Returns: True when `w` is among `v`'s neighbours.
  /// - Complexity: O(log degree(v)): a binary search of the sorted row.
  @inlinable public func hasEdge(from v: Int32, to w: Int32) -> Bool {
    var lo = Int(offsets[Int(v)]), hi = Int(offsets[Int(v) + 1])
    return targets.withUnsafeBufferPointer { t in
      while lo < hi {
        let mid = (lo + hi) >> 1
        if t[mid] < w { lo = mid + 1 } else { hi = mid }
      }
      return lo < Int(offsets[Int(v) + 1]) && t[lo] == w
    }
  }

  init(offsets: [Int32], targets: [Int32]) {
    self.init(offsets: FlatArray(offsets), targets: FlatArray(targets))
  }

  /// Rows over arrays that may view a mapped image (``GraphImage``, which checks them first).
  init(offsets: FlatArray<Int32>, targets: FlatArray<Int32>) {
    self.offsets = offsets
    self.targets = targets
    assert(Self.isWellFormed(offsets: offsets, targets: targets), "CSR: malformed offsets or targets")
  }

  /// The shape every CSR has: at least one offset, the first 0, offsets
  /// non-decreasing, the last equal to `targets.count`, and every target in
  /// `0..<targetBound` (non-negative when no bound is given: the rows of `reads`, tags
  /// and component members index another table). Checked by `assert` (debug builds
  /// only) wherever a CSR is made, and by the traversals, which read rows through
  /// unchecked buffers.
  ///
  /// - Parameters:
  ///   - offsets: The row offsets, `nodeCount + 1` of them.
  ///   - targets: The neighbour indices, row by row.
  ///   - targetBound: One past the largest valid target, when known.
  /// - Returns: True when the arrays form a CSR.
  /// - Complexity: O(V + E).
  static func isWellFormed(offsets: FlatArray<Int32>, targets: FlatArray<Int32>, targetBound: Int? = nil) -> Bool {
    offsets.withUnsafeBufferPointer { off in
      targets.withUnsafeBufferPointer { tgt in
        guard let first = off.first, first == 0, Int(off[off.count - 1]) == tgt.count else { return false }
        // Branch-free passes (they vectorize): a decrease anywhere, a target out of range anywhere.
        var decreases = false
        for i in 1..<off.count { decreases = decreases || off[i] < off[i - 1] }
        if decreases { return false }
        let bound = UInt32(clamping: targetBound ?? Int(Int32.max))
        var outside = false
        for t in tgt { outside = outside || UInt32(bitPattern: t) >= bound }
        return !outside
      }
    }
  }

  /// Builds rows from an edge list by counting sort, then sorts and deduplicates each row.
  ///
  /// - Parameters:
  ///   - n: The number of rows.
  ///   - sources: Each edge's row, in `0..<n`.
  ///   - edgeTargets: Each edge's target, in the order of `sources`.
  /// - Complexity: O(V + E + Σ d log d).
  public init(nodeCount n: Int, sources: [Int32], targets edgeTargets: [Int32]) {
    precondition(sources.count == edgeTargets.count)
    var counts = [Int32](repeating: 0, count: n + 1)
    for s in sources { counts[Int(s) + 1] &+= 1 }
    for i in 0..<n { counts[i + 1] &+= counts[i] }
    var fill = counts
    var t = [Int32](repeating: 0, count: sources.count)
    for i in 0..<sources.count {
      let s = Int(sources[i])
      t[Int(fill[s])] = edgeTargets[i]
      fill[s] &+= 1
    }
    // Sort and deduplicate each row, compacting in place.
    var out = [Int32](repeating: 0, count: n + 1)
    var write = 0
    t.withUnsafeMutableBufferPointer { buf in
      for v in 0..<n {
        let lo = Int(counts[v]), hi = Int(counts[v + 1])
        out[v] = Int32(write)
        if hi - lo > 1 {
          var row = UnsafeMutableBufferPointer(rebasing: buf[lo..<hi])
          row.sort()
        }
        var last: Int32 = -1
        for i in lo..<hi {
          let x = buf[i]
          if x != last {
            buf[write] = x
            write += 1
            last = x
          }
        }
      }
    }
    out[n] = Int32(write)
    t.removeSubrange(write...)
    self.init(offsets: out, targets: t)
  }

  /// A topological order of the nodes (Kahn's algorithm from the sources, in index
  /// order), with the nodes it cannot place (on or below a cycle) after them in index
  /// order: a numbering that keeps most edges pointing forward, and the order to read
  /// definitions in when a cycle must not stop the reading.
  ///
  /// - Returns: Every node index once.
  /// - Complexity: O(V + E).
  public func localityOrder() -> [Int32] {
    var order = kahnOrder()
    if order.count < nodeCount {
      var placed = [Bool](repeating: false, count: nodeCount)
      for v in order { placed[Int(v)] = true }
      for v in 0..<Int32(nodeCount) where !placed[Int(v)] { order.append(v) }
    }
    return order
  }

  /// Kahn's algorithm from the sources in index order: every node that is not on or
  /// below a cycle, in a topological order.
  ///
  /// - Complexity: O(V + E).
  func kahnOrder() -> [Int32] {
    let n = nodeCount
    var indegree = [Int32](repeating: 0, count: n)
    for t in targets { indegree[Int(t)] += 1 }
    var order: [Int32] = []
    order.reserveCapacity(n)
    for v in 0..<Int32(n) where indegree[Int(v)] == 0 { order.append(v) }
    var head = 0
    offsets.withUnsafeBufferPointer { off in
      targets.withUnsafeBufferPointer { tgt in
        while head < order.count {
          let v = Int(order[head])
          head += 1
          for i in Int(off[v])..<Int(off[v + 1]) {
            let w = Int(tgt[i])
            indegree[w] -= 1
            if indegree[w] == 0 { order.append(Int32(w)) }
          }
        }
      }
    }
    return order
  }

  /// The rows in a new order (`newToOld[r]` is the old row of row `r`), with targets
  /// renumbered by `oldToNew` when given (and each row sorted again).
  ///
  /// - Parameters:
  ///   - newToOld: The old row of each new row; a permutation of `0..<nodeCount`.
  ///   - oldToNew: The new index of each old target, or nil to keep targets as they are.
  /// - Returns: The permuted rows.
  /// - Complexity: O(V + E), plus O(Σ d log d) when the targets are renumbered.
  public func permuted(newToOld: [Int32], oldToNew: [Int32]?) -> CSR {
    let n = nodeCount
    var off = [Int32](repeating: 0, count: n + 1)
    for r in 0..<n { off[r + 1] = off[r] + Int32(degree(newToOld[r])) }
    var t = [Int32](repeating: 0, count: targets.count)
    t.withUnsafeMutableBufferPointer { out in
      targets.withUnsafeBufferPointer { tgt in
        offsets.withUnsafeBufferPointer { o in
          for r in 0..<n {
            let old = Int(newToOld[r])
            var k = Int(off[r])
            let start = k
            for i in Int(o[old])..<Int(o[old + 1]) {
              out[k] = oldToNew.map { $0[Int(tgt[i])] } ?? tgt[i]
              k += 1
            }
            if oldToNew != nil, k - start > 1 {
              var row = UnsafeMutableBufferPointer(rebasing: out[start..<k])
              row.sort()
            }
          }
        }
      }
    }
    return CSR(offsets: off, targets: t)
  }

  /// The same edges reversed.
  /// The rows come out sorted without sorting, since they are filled in row order.
  ///
  /// - Returns: The adjacency with every edge `v -> w` turned into `w -> v`.
  /// - Complexity: O(V + E).
  public func transposed() -> CSR {
    let n = nodeCount
    var counts = [Int32](repeating: 0, count: n + 1)
    for x in targets { counts[Int(x) + 1] &+= 1 }
    for i in 0..<n { counts[i + 1] &+= counts[i] }
    var fill = counts
    var t = [Int32](repeating: 0, count: targets.count)
    // Rows are visited in increasing source order, so each reversed row comes out sorted.
    for v in 0..<n {
      for i in Int(offsets[v])..<Int(offsets[v + 1]) {
        let w = Int(targets[i])
        t[Int(fill[w])] = Int32(v)
        fill[w] &+= 1
      }
    }
    return CSR(offsets: counts, targets: t)
  }
}
