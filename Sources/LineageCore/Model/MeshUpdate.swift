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

  /// The change after `next`: this change followed by `next` (whose previous mesh is
  /// this change's new mesh).
  ///
  /// - Parameter next: The change from this change's new mesh to a newer one.
  /// - Returns: The change from this change's previous mesh to the newer one.
  public func then(_ next: MeshUpdate) -> MeshUpdate {
    MeshUpdate(
      origin: next.origin.map { $0 >= 0 && Int($0) < origin.count ? origin[Int($0)] : -1 },
      previousCount: previousCount)
  }
}
