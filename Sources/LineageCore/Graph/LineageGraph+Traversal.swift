extension LineageGraph {
  /// The adjacency to follow for `direction`.
  ///
  /// - Parameter direction: Downstream or upstream.
  /// - Returns: ``forward`` or ``reverse``.
  public func adjacency(_ direction: Direction) -> CSR { direction == .downstream ? forward : reverse }

  /// Upstream or downstream closure of `roots`, roots included at depth 0.
  ///
  /// - Parameters:
  ///   - roots: Start nodes.
  ///   - direction: Downstream (readers) or upstream (inputs).
  ///   - maxDepth: Stop after this many hops; nil for no limit.
  /// - Returns: The reached nodes with their shortest depths, breadth-first.
  /// - Complexity: O(V + E), as ``CSR/breadthFirst(from:maxDepth:)``.
  public func reach(from roots: [Int32], direction: Direction, maxDepth: Int? = nil) -> Reach {
    adjacency(direction).breadthFirst(from: roots, maxDepth: maxDepth)
  }
}
