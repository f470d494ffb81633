public import LineageCore

/// The result of `cycles`.
public struct CyclesReport: Sendable {
  /// Set when the report answers from an input that was read only in part.
  public var partial: PartialNote?
  /// One cycle, with ids resolved.
  public struct Entry: Sendable, Equatable {
    /// The ids of the component's nodes, sorted (byte order).
    public var nodes: [String]
    /// One shortest cycle through the component, as ids: each node is read by the next, and the
    /// last by the first; it starts at the smallest id.
    public var path: [String]
    /// The domains of the component's nodes, each once, sorted (byte order); `""` stands for nodes
    /// without a domain.
    public var domains: [String]
    /// The edge most likely to be the mistake, as ids (`to` reads `from`); nil when no edge stands
    /// out.
    public var culprit: (from: String, to: String)?
    /// Why the culprit was chosen, or why there is none, in one sentence.
    public var reason: String

    /// Two entries are equal when their nodes, path and culprit edge are.
    ///
    /// - Parameters:
    ///   - a: An entry.
    ///   - b: Another entry.
    /// - Returns: True when they are equal.
    public static func == (a: Entry, b: Entry) -> Bool {
      a.nodes == b.nodes && a.path == b.path && a.culprit?.from == b.culprit?.from && a.culprit?.to == b.culprit?.to
    }
  }

  /// One entry per strongly connected component that holds a cycle, sorted by smallest id.
  public var entries: [Entry]
  /// The number of nodes of the graph searched, for "no cycles among N nodes".
  public var nodeCount: Int

  /// Resolves the cycles of `graph` into ids.
  public init(cycles: [Cycle], graph g: LineageGraph) {
    nodeCount = g.nodeCount
    entries = cycles.map { c in
      Entry(
        nodes: c.nodes.map { g.id($0) }, path: c.path.map { g.id($0) },
        domains: Array(Set(c.nodes.map { g.domainName($0) ?? "" })).sorted {
          $0.utf8.lexicographicallyPrecedes($1.utf8)
        },
        culprit: c.culprit.map { (g.id($0.from), g.id($0.to)) }, reason: c.reason)
    }
  }

  /// JSON: `{"count", "cycles": [{nodes, path, domains, culprit: {from, to}|null, reason}]}`.
  public func json() -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    partial.write(into: &w)
    w.field("count", entries.count)
    w.key("cycles")
    w.beginArray()
    for e in entries {
      w.beginObject()
      w.field("nodes", e.nodes)
      w.field("path", e.path)
      w.field("domains", e.domains)
      w.key("culprit")
      if let c = e.culprit {
        w.beginObject(compact: true)
        w.field("from", c.from)
        w.field("to", c.to)
        w.endObject()
      } else {
        w.null()
      }
      w.field("reason", e.reason)
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return w.bytes
  }

  /// The cycles as aligned text, or a line saying there are none.
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The text.
  public func text(style: TextStyle) -> String {
    if entries.isEmpty { return partial.text(style: style) + style.green("no cycles") + " among \(nodeCount) nodes\n" }
    var out =
      partial.text(style: style) + style.red(style.bold("\(entries.count) cycle\(entries.count == 1 ? "" : "s")"))
      + " found\n"
    for (i, e) in entries.enumerated() {
      let ring = (e.path + [e.path[0]]).map(terminalSafe).joined(separator: style.dim(" -> "))
      out +=
        "\n" + style.bold("cycle \(i + 1)") + ": \(e.nodes.count) node\(e.nodes.count == 1 ? "" : "s") in "
        + e.domains.map { $0.isEmpty ? "(no domain)" : terminalSafe($0) }.joined(separator: ", ") + "\n"
      out += "  path:    " + ring + "\n"
      if let c = e.culprit {
        out += "  culprit: " + style.red("\(terminalSafe(c.from)) -> \(terminalSafe(c.to))") + "\n"
      }
      out += "  why:     " + terminalSafe(e.reason) + "\n"
      if e.nodes.count > e.path.count {
        out += style.dim("  the component has \(e.nodes.count) nodes; the path is one shortest cycle through it") + "\n"
      }
    }
    return out
  }
}
