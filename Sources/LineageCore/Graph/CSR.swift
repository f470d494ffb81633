/// Compressed sparse row adjacency: the neighbours of node `v` are
/// `targets[offsets[v] ..< offsets[v + 1]]`, sorted and without duplicates.
public struct CSR: Sendable, Equatable {
  /// `nodeCount + 1` offsets into `targets`.
  public let offsets: [Int32]
  /// Neighbour indices, row by row.
  public let targets: [Int32]

  /// Number of rows (nodes).
  @inlinable public var nodeCount: Int { offsets.count - 1 }
  /// Number of stored edges.
  @inlinable public var edgeCount: Int { targets.count }

  /// The neighbours of `v`.
  @inlinable public func neighbors(_ v: Int32) -> ArraySlice<Int32> {
    targets[Int(offsets[Int(v)])..<Int(offsets[Int(v) + 1])]
  }

  /// Number of neighbours of `v`.
  @inlinable public func degree(_ v: Int32) -> Int { Int(offsets[Int(v) + 1] - offsets[Int(v)]) }

  init(offsets: [Int32], targets: [Int32]) {
    self.offsets = offsets
    self.targets = targets
  }

  /// Builds rows from an edge list by counting sort, then sorts and deduplicates each row.
  ///
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
    self.offsets = out
    self.targets = t
  }

  /// The same edges reversed.
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
