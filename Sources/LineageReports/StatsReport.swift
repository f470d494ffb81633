public import LineageCore

/// The result of `stats`.
public struct StatsReport: Sendable {
  /// Set when the report answers from an input that was read only in part.
  public var partial: PartialNote?
  /// The statistics the report prints.
  public var stats: GraphStats
  /// What was read ("mesh directory samples/demo"), printed at the top of the report.
  public var source: String
  let ids: @Sendable (Int32) -> String

  /// Creates a report.
  ///
  /// - Parameters:
  ///   - stats: The statistics.
  ///   - g: The graph whose node ids they name.
  ///   - source: What was read.
  public init(stats: GraphStats, graph g: LineageGraph, source: String) {
    self.stats = stats
    self.source = source
    self.ids = { g.id($0) }
  }

  /// The statistics as JSON.
  ///
  /// - Returns: The UTF-8 bytes.
  public func json() -> [UInt8] {
    let s = stats
    var w = JSONWriter()
    w.beginObject()
    w.field("source", source)
    partial.write(into: &w)
    w.field("nodes", s.nodes)
    w.field("edges", s.edges)
    w.field("crossDomainEdges", s.crossDomainEdges)
    w.key("byKind")
    w.beginObject(compact: true)
    for c in s.byKind { w.field(c.name, c.count) }
    w.endObject()
    w.key("byDomain")
    w.beginObject(compact: true)
    for c in s.byDomain { w.field(c.name, c.count) }
    w.endObject()
    w.field("roots", s.roots)
    w.field("leaves", s.leaves)
    w.field("isolated", s.isolated)
    w.field("components", s.components)
    w.field("cyclicComponents", s.cyclicComponents)
    w.field("nodesInCycles", s.nodesInCycles)
    w.field("layers", s.layers)
    w.field("longestPathEdges", max(0, s.longestPath.count - 1))
    w.field("longestPath", s.longestPath.map(ids))
    w.field("maxFanIn", s.maxFanIn)
    w.field("maxFanOut", s.maxFanOut)
    w.key("meanDegree")
    w.double((s.meanDegree * 1000).rounded() / 1000)
    for (name, hubs) in [("topReaders", s.topReaders), ("topInputs", s.topInputs)] {
      w.key(name)
      w.beginArray()
      for h in hubs {
        w.beginObject(compact: true)
        w.field("id", ids(h.node))
        w.field("degree", h.degree)
        w.endObject()
      }
      w.endArray()
    }
    if let method = s.blastMethod {
      w.key("blastRadius")
      w.beginObject()
      w.field("method", method.rawValue)
      w.key("top")
      w.beginArray()
      for h in s.topBlast {
        w.beginObject(compact: true)
        w.field("id", ids(h.node))
        w.field("downstream", h.degree)
        w.endObject()
      }
      w.endArray()
      w.endObject()
    }
    w.endObject()
    return w.bytes
  }

  /// The statistics as aligned text.
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The text.
  public func text(style: TextStyle) -> String {
    let s = stats
    var out = partial.text(style: style) + style.bold(terminalSafe(source)) + "\n\n"
    out += table(
      [
        ["nodes", "\(s.nodes)"], ["edges", "\(s.edges)  (\(s.crossDomainEdges) cross-domain)"],
        ["roots / leaves / isolated", "\(s.roots) / \(s.leaves) / \(s.isolated)"],
        ["connected components", "\(s.components)"],
        ["cycles", s.cyclicComponents == 0 ? "none" : "\(s.cyclicComponents) (\(s.nodesInCycles) nodes)"],
        ["layers", "\(s.layers)"],
        ["longest path", "\(max(0, s.longestPath.count - 1)) edges"],
        ["max fan-in / fan-out", "\(s.maxFanIn) / \(s.maxFanOut)"],
        ["mean degree", String(format3(s.meanDegree))],
      ], styles: [0: style.dim])
    if s.longestPath.count > 1 {
      let p = s.longestPath
      let shown = p.count <= 8 ? p.map(ids) : p.prefix(3).map(ids) + ["…"] + p.suffix(3).map(ids)
      out += "  " + style.dim("path: ") + shown.map(terminalSafe).joined(separator: " -> ") + "\n"
    }
    out += "\n" + style.bold("by kind") + "\n"
    out += table(s.byKind.map { [terminalSafe($0.name), "\($0.count)"] })
    out += "\n" + style.bold("by domain") + "\n"
    out += table(s.byDomain.map { [$0.name.isEmpty ? "(no domain)" : terminalSafe($0.name), "\($0.count)"] })
    if !s.topReaders.isEmpty {
      out += "\n" + style.bold("most read (fan-out)") + "\n"
      out += table(s.topReaders.map { [terminalSafe(ids($0.node)), "\($0.degree)"] })
    }
    if !s.topInputs.isEmpty {
      out += "\n" + style.bold("most inputs (fan-in)") + "\n"
      out += table(s.topInputs.map { [terminalSafe(ids($0.node)), "\($0.degree)"] })
    }
    if let method = s.blastMethod, !s.topBlast.isEmpty {
      let how = method == .exact ? "exact" : "approximate, about 3 % error"
      out += "\n" + style.bold("most depended on (nodes downstream, \(how))") + "\n"
      out += table(s.topBlast.map { [terminalSafe(ids($0.node)), "\($0.degree)"] })
    }
    return out
  }
}

func format3(_ d: Double) -> String {
  let scaled = Int((d * 1000).rounded())
  let frac = scaled % 1000
  return "\(scaled / 1000)." + String(repeating: "0", count: 3 - String(frac).count) + String(frac)
}
