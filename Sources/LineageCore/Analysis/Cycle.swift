/// One strongly connected component that holds a cycle, with a concrete cycle
/// through it and the edge most likely to be the mistake.
public struct Cycle: Sendable, Equatable {
  /// The component's nodes, sorted by id.
  public var nodes: [Int32]
  /// One shortest cycle of the component: each node has an edge to the next and the
  /// last to the first. It starts at its smallest id.
  public var path: [Int32]
  /// The edge of `path` most likely to be the mistake: an edge into a source or out of
  /// a consumer first (they cannot take part in a cycle legitimately), then the
  /// cross-domain edge that runs most against the mesh's usual flow between its two
  /// domains. Nil when no edge stands out (a cycle inside one domain).
  public var culprit: Edge?
  /// Why the culprit was chosen, or why there is none, in one sentence.
  public var reason: String
}
