/// A diagram as plain values: what to draw, before any layout. Views build one from
/// a model; ``DOTWriter`` and ``MermaidWriter`` turn it into text, deterministically.
///
/// Node ids are synthetic (`n0`, `n1`, ...): user names only ever appear in labels
/// and tooltips, escaped for where they go.
public struct Diagram: Sendable, Equatable {
  /// A node's label: plain text lines, or a table with one row per column.
  public enum Label: Sendable, Equatable {
    /// Plain text, one line each.
    case lines([String])
    /// A table: a bold title row, an optional subtitle, then rows that are edge ports.
    case table(title: String, subtitle: String?, rows: [Row])
  }

  /// One row of a table label.
  public struct Row: Sendable, Equatable {
    /// The port edges attach to.
    public var port: String
    /// The column name.
    public var name: String
    /// A second cell (the type, say).
    public var detail: String?
    /// A background colour for the row, when it is highlighted.
    public var highlight: String?
  }

  /// A node to draw.
  public struct Node: Sendable, Equatable {
    /// The synthetic id (`n0`, `n1`, ...).
    public var id: String
    /// What the node shows.
    public var label: Label
    /// Graphviz attributes (`shape`, `style`, `color`, ...), written in key order.
    public var attributes: [String: String]
    /// The tooltip (SVG `title`).
    public var tooltip: String?
    /// CSS classes for SVG (`kind-product domain-sales`).
    public var classes: [String]
    /// Index into ``Diagram/clusters``.
    public var cluster: Int?
    /// Mermaid shape: `box`, `round`, `cylinder`, `stadium`, `stub`.
    public var shape: String
  }

  /// An edge to draw.
  public struct Edge: Sendable, Equatable {
    /// The upstream node's id.
    public var from: String
    /// The downstream node's id.
    public var to: String
    /// The row of a table label it leaves from.
    public var fromPort: String?
    /// The row of a table label it arrives at.
    public var toPort: String?
    /// Text on the edge.
    public var label: String?
    /// Graphviz attributes, written in key order.
    public var attributes: [String: String]
    /// CSS classes for SVG.
    public var classes: [String]
  }

  /// A box around some nodes (a domain).
  public struct Cluster: Sendable, Equatable {
    /// The cluster's title.
    public var label: String
    /// CSS classes for SVG.
    public var classes: [String]
  }

  /// What the diagram shows ("product level, 68 nodes").
  public var title: String
  /// Graphviz attributes of the whole graph.
  public var graphAttributes: [String: String] = [:]
  /// The nodes, in drawing order.
  public var nodes: [Node] = []
  /// The edges, in drawing order.
  public var edges: [Edge] = []
  /// The clusters, indexed by ``Node/cluster``.
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
