/// The kind of a node in the lineage graph.
///
/// Mesh specs declare `source`, `product` and `consumer`; importers add their own
/// kinds (`model`, `seed`, `dataset`, ...), so the set is open.
public struct NodeKind: RawRepresentable, Hashable, Sendable, Comparable, ExpressibleByStringLiteral {
  /// The kind's name as specs and reports write it (`product`, `model`, ...); kinds compare by it.
  public var rawValue: String
  /// Creates a kind.
  ///
  /// - Parameter rawValue: Its name, such as `product` or `model`.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a kind from a literal.
  ///
  /// - Parameter value: Its name.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// Orders kinds by name.
  ///
  /// - Parameters:
  ///   - a: A kind.
  ///   - b: Another kind.
  /// - Returns: True when `a`'s name sorts first.
  public static func < (a: NodeKind, b: NodeKind) -> Bool { a.rawValue < b.rawValue }

  /// An operational system or raw landing table: a schema, no inputs.
  public static let source: NodeKind = "source"
  /// A data product published by a domain.
  public static let product: NodeKind = "product"
  /// A dashboard, report, ML model or application that reads products.
  public static let consumer: NodeKind = "consumer"
}
