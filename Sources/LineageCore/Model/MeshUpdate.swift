/// How a mesh came from the one before it: which of its nodes are the previous mesh's,
/// unchanged, and where they were. A model of the previous mesh is brought up to date
/// from it (``LineageModel/init(updating:mesh:change:loadFindings:source:)``) instead
/// of being built again whole.
///
/// A producer that changes a mesh in place (a stream of OpenLineage events) knows
/// which nodes it made again; any node it did not is named here by its old place.
public struct MeshUpdate: Sendable, Equatable {
  /// For each node of the new mesh, the index in the previous mesh of a node equal to
  /// it, or -1 for a node made anew (a new node, or one that changed). A node named
  /// here must be equal to the one it names, field for field.
  public var origin: [Int32]
  /// How many nodes the previous mesh had.
  public var previousCount: Int

  /// A change described by each new node's origin.
  ///
  /// - Parameters:
  ///   - origin: For each node of the new mesh, its index in the previous mesh, or -1.
  ///   - previousCount: How many nodes the previous mesh had.
  public init(origin: [Int32], previousCount: Int) {
    self.origin = origin
    self.previousCount = previousCount
  }
}

extension MeshUpdate {
  /// The update of a merged mesh (``Mesh/mergingWithPlaces(_:)``) whose first part
  /// stayed the same and whose second part changed by `change`: a node of the first
  /// part is unchanged unless a node of the second merged into it changed (or came, or
  /// went); a node of the second part alone is where it was, when it is unchanged.
  ///
  /// - Parameters:
  ///   - firstCount: How many merged nodes the first part makes (its distinct ids).
  ///   - previousPlaces: Where each node of the second part's previous mesh landed in
  ///     the previous merge.
  ///   - places: Where each node of the second part's new mesh landed in the new merge.
  ///   - previousCount: How many nodes the previous merge had.
  ///   - count: How many nodes the new merge has.
  ///   - change: How the second part's new mesh came from its previous one.
  /// - Returns: The update, or nil when two nodes of the second part merged into one
  ///   (their change could not be told apart) or the counts do not fit.
  public static func ofMerge(
    firstCount: Int, previousPlaces: [Int32], places: [Int32], previousCount: Int, count: Int, change: MeshUpdate
  ) -> MeshUpdate? {
    guard change.origin.count == places.count, change.previousCount == previousPlaces.count else { return nil }
    // The node of the second part merged into each node of the first, before and now.
    func counterparts(_ landed: [Int32], _ total: Int) -> [Int32]? {
      var c = [Int32](repeating: -1, count: firstCount)
      var taken = [Bool](repeating: false, count: total)
      for (i, m) in landed.enumerated() {
        guard m >= 0, Int(m) < total, !taken[Int(m)] else { return nil }
        taken[Int(m)] = true
        if Int(m) < firstCount { c[Int(m)] = Int32(i) }
      }
      return c
    }
    guard let before = counterparts(previousPlaces, previousCount), let now = counterparts(places, count) else {
      return nil
    }
    var origin = [Int32](repeating: -1, count: count)
    for j in 0..<min(firstCount, count) {
      let (a, b) = (before[j], now[j])
      if (a < 0 && b < 0) || (a >= 0 && b >= 0 && change.origin[Int(b)] == a) { origin[j] = Int32(j) }
    }
    for (i, m) in places.enumerated() where Int(m) >= firstCount {
      let o = change.origin[i]
      if o >= 0, Int(previousPlaces[Int(o)]) >= firstCount { origin[Int(m)] = previousPlaces[Int(o)] }
    }
    return MeshUpdate(origin: origin, previousCount: previousCount)
  }
}
