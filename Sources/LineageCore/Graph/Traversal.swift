/// Which way a traversal follows the edges.
public enum Direction: String, Sendable, Hashable {
  /// Towards the nodes that are read (ancestors).
  case upstream
  /// Towards the readers (descendants).
  case downstream
}

/// The result of a breadth-first traversal: every reached node once, with its
/// shortest distance from the nearest root.
public struct Reach: Sendable, Equatable {
  /// Reached nodes in breadth-first order (roots first).
  public var nodes: [Int32]
  /// `depths[i]` is the hop count of `nodes[i]` from its nearest root (0 for a root).
  public var depths: [Int32]

  public init(nodes: [Int32] = [], depths: [Int32] = []) {
    self.nodes = nodes
    self.depths = depths
  }

  /// Number of reached nodes.
  public var count: Int { nodes.count }
}

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
    var seen = [Bool](repeating: false, count: nodeCount)
    var order: [Int32] = []
    var depths: [Int32] = []
    for r in roots where !seen[Int(r)] {
      seen[Int(r)] = true
      order.append(r)
      depths.append(0)
    }
    let limit = Int32(clamping: maxDepth ?? Int(Int32.max))
    var head = 0
    offsets.withUnsafeBufferPointer { off in
      targets.withUnsafeBufferPointer { tgt in
        seen.withUnsafeMutableBufferPointer { seen in
          while head < order.count {
            let v = Int(order[head])
            let d = depths[head]
            head += 1
            if d >= limit { continue }
            var i = Int(off[v])
            let end = Int(off[v + 1])
            while i < end {
              let w = tgt[i]
              if !seen[Int(w)] {
                seen[Int(w)] = true
                order.append(w)
                depths.append(d + 1)
              }
              i += 1
            }
          }
        }
      }
    }
    return Reach(nodes: order, depths: depths)
  }

  /// Breadth-first search from seeds that start at different depths (non-decreasing
  /// order, as a ``Reach`` lists them): each node gets the smallest seed depth plus hops.
  ///
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

extension LineageGraph {
  /// The adjacency to follow for `direction`.
  public func adjacency(_ direction: Direction) -> CSR { direction == .downstream ? forward : reverse }

  /// Upstream or downstream closure of `roots`, roots included at depth 0.
  public func reach(from roots: [Int32], direction: Direction, maxDepth: Int? = nil) -> Reach {
    adjacency(direction).breadthFirst(from: roots, maxDepth: maxDepth)
  }
}
