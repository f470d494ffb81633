extension Array where Element == MeshNode {
  /// Moves the nodes from `start` on to new places, each once, by their bytes: an
  /// array's `swapAt` copies the nodes it swaps, retaining every field. Node
  /// `start + p` goes to `start + targets[p]`; one whose target is -1 is left where the
  /// moves put it, for the caller to overwrite or cut off. The array first grows, with
  /// `blank` nodes, to `start + count` nodes when it has fewer.
  ///
  /// The targets of the nodes that move must increase with `p` (the nodes keep their
  /// order): those going left then move in one pass, those going right in one pass from
  /// the end, and none lands on a node still to move.
  ///
  /// - Parameters:
  ///   - start: Where the part that moves begins.
  ///   - targets: Each node's new place in the part, or -1.
  ///   - count: How many nodes the part has after the moves, at least.
  ///   - blank: A node to grow the array with.
  public mutating func moveNodes(from start: Int, to targets: [Int], count: Int, blank: MeshNode) {
    if self.count < start + count {
      append(contentsOf: repeatElement(blank, count: start + count - self.count))
    }
    withUnsafeMutableBufferPointer { buffer in
      let part = UnsafeMutableBufferPointer(rebasing: buffer[start...])
      for p in targets.indices where targets[p] >= 0 && targets[p] < p { part.swapAt(targets[p], p) }
      for p in targets.indices.reversed() where targets[p] > p { part.swapAt(targets[p], p) }
    }
  }
}
