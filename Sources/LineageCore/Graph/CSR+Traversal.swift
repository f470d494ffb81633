internal import Synchronization

/// Where the traversal's look-ahead loads end up, so that the optimiser keeps them.
let prefetchSink = Atomic<Int32>(0)

extension CSR {
  /// Breadth-first search from several roots at once, each node once with its
  /// shortest depth; iterative, so depth of the graph does not matter.
  ///
  /// - Parameters:
  ///   - roots: Start nodes, reported at depth 0 (duplicates ignored).
  ///   - maxDepth: Stop after this many hops; nil for no limit.
  /// - Returns: The reached nodes, roots included, in breadth-first order.
  /// - Complexity: O(V + E) for the scratch array and the visited part of the graph.
  public func breadthFirst(from roots: [Int32], maxDepth: Int? = nil) -> Reach {
    let n = nodeCount
    // Roots and neighbours index the bitset and the queue through unchecked buffers.
    assert(roots.allSatisfy { $0 >= 0 && Int($0) < n }, "breadthFirst: a root is outside 0..<\(n)")
    assert(Self.isWellFormed(offsets: offsets, targets: targets, targetBound: n), "breadthFirst: not a square CSR")
    // A bitset of visited nodes (a million nodes in 125 KiB, so it stays in cache), and
    // the queue in one uninitialised buffer; depths follow from the level boundaries.
    var seen = [UInt64](repeating: 0, count: (n + 63) >> 6)
    let queue = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    defer { queue.deallocate() }
    var tail = 0
    var levelEnds: [Int] = []
    seen.withUnsafeMutableBufferPointer { seen in
      for r in roots {
        let bit = UInt64(1) << UInt64(r & 63)
        if seen[Int(r) >> 6] & bit == 0 {
          seen[Int(r) >> 6] |= bit
          queue[tail] = r
          tail += 1
        }
      }
      let limit = maxDepth ?? Int.max
      var head = 0
      // Touches the rows of nodes further down the queue before they are expanded:
      // their offsets 16 places ahead, their first targets 8 places ahead. The loads
      // are independent of the work at hand, so the processor overlaps their cache
      // misses with it (Swift has no prefetch instruction; `sink`, stored once at the end, keeps them).
      var sink: Int32 = 0
      offsets.withUnsafeBufferPointer { off in
        targets.withUnsafeBufferPointer { tgt in
          while head < tail {
            let levelEnd = tail
            levelEnds.append(levelEnd)
            if levelEnds.count > limit { break }
            while head < levelEnd {
              if head + 16 < tail { sink &+= off[Int(queue[head + 16])] }
              if head + 8 < tail {
                let o = Int(off[Int(queue[head + 8])])
                if o < tgt.count { sink &+= tgt[o] }
              }
              let v = Int(queue[head])
              head += 1
              var i = Int(off[v])
              let end = Int(off[v + 1])
              while i < end {
                let w = tgt[i]
                let word = Int(w) >> 6, bit = UInt64(1) << UInt64(w & 63)
                if seen[word] & bit == 0 {
                  seen[word] |= bit
                  queue[tail] = w
                  tail += 1
                }
                i += 1
              }
            }
          }
        }
      }
      if levelEnds.last != tail { levelEnds.append(tail) }
      prefetchSink.store(sink, ordering: .relaxed)
    }
    let nodes = Array(UnsafeBufferPointer(start: queue, count: tail))
    var depths = [Int32](repeating: 0, count: tail)
    var start = 0
    for (d, end) in levelEnds.enumerated() {
      for i in start..<end { depths[i] = Int32(d) }
      start = end
    }
    return Reach(nodes: nodes, depths: depths)
  }

  /// Breadth-first search from seeds that start at different depths (non-decreasing
  /// order, as a ``Reach`` lists them): each node gets the smallest seed depth plus hops.
  ///
  /// - Parameters:
  ///   - seeds: Start nodes.
  ///   - seedDepths: The depth of each seed, non-decreasing.
  /// - Returns: The reached nodes with their depths.
  /// - Complexity: O(V + E).
  public func breadthFirst(seeds: [Int32], seedDepths: [Int32]) -> Reach {
    var depth = [Int32](repeating: -1, count: nodeCount)
    var order: [Int32] = []
    var depths: [Int32] = []
    var next = 0  // next seed to admit
    var head = 0
    while head < order.count || next < seeds.count {
      // Admit every seed no deeper than the nodes about to be appended, so the queue
      // stays in non-decreasing depth order.
      let current = head < order.count ? depths[head] : seedDepths[next]
      while next < seeds.count && seedDepths[next] <= current + 1 {
        let s = seeds[next]
        if depth[Int(s)] < 0 {
          depth[Int(s)] = seedDepths[next]
          order.append(s)
          depths.append(seedDepths[next])
        }
        next += 1
      }
      guard head < order.count else { continue }
      let v = order[head]
      let d = depth[Int(v)]
      head += 1
      for w in neighbors(v) where depth[Int(w)] < 0 {
        depth[Int(w)] = d + 1
        order.append(w)
        depths.append(d + 1)
      }
    }
    return Reach(nodes: order, depths: depths)
  }

  /// One shortest path from any of `roots` to `target` following this adjacency,
  /// or nil when unreachable. Ties go to the lower neighbour index.
  ///
  /// - Parameters:
  ///   - roots: Start nodes.
  ///   - target: The node to reach.
  /// - Returns: The nodes of the path, from a root to `target`.
  /// - Complexity: O(V + E).
  public func shortestPath(from roots: [Int32], to target: Int32) -> [Int32]? {
    var parent = [Int32](repeating: -2, count: nodeCount)
    var queue: [Int32] = []
    for r in roots where parent[Int(r)] == -2 {
      parent[Int(r)] = -1
      queue.append(r)
    }
    var head = 0
    while head < queue.count, parent[Int(target)] == -2 {
      let v = queue[head]
      head += 1
      for w in neighbors(v) where parent[Int(w)] == -2 {
        parent[Int(w)] = v
        queue.append(w)
      }
    }
    if parent[Int(target)] == -2 { return nil }
    var path: [Int32] = [target]
    var v = parent[Int(target)]
    while v >= 0 {
      path.append(v)
      v = parent[Int(v)]
    }
    return path.reversed()
  }
}
