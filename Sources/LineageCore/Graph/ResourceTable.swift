/// Each node's resource in the tool it came from (nil for other nodes), by node: a
/// collection of ``ImportedResource`` values, kept boxed, so that moving the table (a
/// graph brought up to date renumbers its nodes) moves a word per node, not each
/// resource's strings.
public struct ResourceTable: RandomAccessCollection, Sendable, Equatable {
  /// The nodes' boxes; empty when no node has a resource.
  var boxes: [ResourceBox?]
  /// How many resources carry a dbt fully qualified name.
  var qualified: Int

  /// A table of no node.
  public init() { (boxes, qualified) = ([], 0) }

  /// A table of `boxes`, one per node.
  init(_ boxes: [ResourceBox?]) {
    self.boxes = boxes
    qualified = boxes.count(where: Self.isQualified)
  }

  /// Whether `box` holds a resource with a dbt fully qualified name.
  static func isQualified(_ box: ResourceBox?) -> Bool { !(box?.value.fqn.isEmpty ?? true) }

  init(_ boxes: [ResourceBox?], qualified: Int) {
    self.boxes = boxes
    self.qualified = qualified
  }

  /// The first node.
  public var startIndex: Int { 0 }
  /// One past the last node (0 when no node has a resource).
  public var endIndex: Int { boxes.count }
  /// Node `i`'s resource, if it has one.
  public subscript(i: Int) -> ImportedResource? { boxes[i]?.value }

  /// Whether both tables hold equal resources for the same nodes.
  public static func == (a: ResourceTable, b: ResourceTable) -> Bool { a.boxes == b.boxes }
}
