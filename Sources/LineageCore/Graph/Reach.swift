/// The result of a breadth-first traversal: every reached node once, with its
/// shortest distance from the nearest root.
public struct Reach: Sendable, Equatable {
  /// Reached nodes in breadth-first order (roots first).
  public var nodes: [Int32]
  /// `depths[i]` is the hop count of `nodes[i]` from its nearest root (0 for a root).
  public var depths: [Int32]

  /// Creates a reach.
  ///
  /// - Parameters:
  ///   - nodes: The reached nodes.
  ///   - depths: Their depths, in the same order.
  public init(nodes: [Int32] = [], depths: [Int32] = []) {
    self.nodes = nodes
    self.depths = depths
  }

  /// Number of reached nodes.
  public var count: Int { nodes.count }
}
