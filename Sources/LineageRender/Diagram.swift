/// A diagram as plain values: what to draw, before any layout. Views build one from
/// a model; ``DOTWriter`` and ``MermaidWriter`` turn it into text, deterministically.
///
/// Node ids are synthetic (`n0`, `n1`, ...): user names only ever appear in labels
/// and tooltips, escaped for where they go.
public struct Diagram: Sendable, Equatable {
  /// A node's label: plain text lines, or a table with one row per column.
  public enum Label: Sendable, Equatable {
    case lines([String])
    /// A table: a bold title row, an optional subtitle, then rows that are edge ports.
    case table(title: String, subtitle: String?, rows: [Row])
  }

  /// One row of a table label.
  public struct Row: Sendable, Equatable {
    public var port: String
    public var name: String
    public var detail: String?
    public var highlight: String?
  }

  public struct Node: Sendable, Equatable {
    public var id: String
    public var label: Label
    /// Graphviz attributes (`shape`, `style`, `color`, ...), written in key order.
    public var attributes: [String: String]
    public var tooltip: String?
    /// CSS classes for SVG (`kind-product domain-sales`).
    public var classes: [String]
    /// Index into ``Diagram/clusters``.
    public var cluster: Int?
    /// Mermaid shape: `box`, `round`, `cylinder`, `stadium`, `stub`.
    public var shape: String
  }

  public struct Edge: Sendable, Equatable {
    public var from: String
    public var to: String
    public var fromPort: String?
    public var toPort: String?
    public var label: String?
    public var attributes: [String: String]
    public var classes: [String]
  }

  public struct Cluster: Sendable, Equatable {
    public var label: String
    public var classes: [String]
  }

  /// What the diagram shows ("product level, 68 nodes").
  public var title: String
  public var graphAttributes: [String: String] = [:]
  public var nodes: [Node] = []
  public var edges: [Edge] = []
  public var clusters: [Cluster] = []
  /// Statements about the view (degradation, hidden parts), shown in the diagram.
  public var notes: [String] = []
  /// A legend: label and colour pairs.
  public var legend: [(label: String, color: String)] = []

  /// Creates an empty diagram.
  ///
  /// - Parameter title: Its title.
  public init(title: String) { self.title = title }

  /// Two diagrams are equal when everything drawn is (the legend by its labels).
  ///
  /// - Parameters:
  ///   - a: A diagram.
  ///   - b: Another diagram.
  /// - Returns: True when they are equal.
  public static func == (a: Diagram, b: Diagram) -> Bool {
    a.title == b.title && a.graphAttributes == b.graphAttributes && a.nodes == b.nodes && a.edges == b.edges
      && a.clusters == b.clusters && a.notes == b.notes && a.legend.map(\.label) == b.legend.map(\.label)
  }
}
