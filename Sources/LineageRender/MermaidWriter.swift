/// Writes a ``Diagram`` as a Mermaid flowchart (for Markdown that renders Mermaid).
public enum MermaidWriter {
  /// Mermaid's default `maxTextSize`: a diagram whose text is longer (in JavaScript's
  /// string length, UTF-16 code units) is not drawn ("Maximum text size in diagram
  /// exceeded"). See https://mermaid.js.org/config/schema-docs/config-properties-maxtextsize.html
  public static let maxTextSize = 50_000
  /// Mermaid's default `maxEdges`: a flowchart with more edges is not drawn ("Too many
  /// edges"). See https://mermaid.js.org/config/schema-docs/config-properties-maxedges.html
  public static let maxEdges = 500

  /// True when Mermaid draws `text`, the flowchart of `diagram`, with its default
  /// limits: at most ``maxTextSize`` characters and ``maxEdges`` edges.
  ///
  /// - Parameters:
  ///   - text: The flowchart's text, as ``write(_:)`` made it.
  ///   - diagram: The diagram it was made of.
  /// - Returns: True when both limits hold.
  public static func fits(_ text: String, _ diagram: Diagram) -> Bool {
    text.utf16.count <= maxTextSize && diagram.edges.count <= maxEdges
  }

  /// The flowchart text.
  ///
  /// - Parameter d: The diagram.
  /// - Returns: Mermaid text, the same for the same diagram.
  public static func write(_ d: Diagram) -> String {
    var out = "%% \(Escape.mermaid(d.title))\n"
    for n in d.notes { out += "%% note: \(Escape.mermaid(n))\n" }
    out += "flowchart LR\n"
    func node(_ n: Diagram.Node) -> String {
      let text: String
      switch n.label {
      case .lines(let lines): text = lines.map(Escape.mermaid).joined(separator: "<br/>")
      case .table(let title, _, let rows):
        text = "<b>\(Escape.mermaid(title))</b>" + rows.map { "<br/>" + Escape.mermaid($0.name) }.joined()
      }
      switch n.shape {
      case "cylinder": return "\(n.id)[(\"\(text)\")]"
      case "round": return "\(n.id)(\"\(text)\")"
      case "stadium": return "\(n.id)([\"\(text)\"])"
      case "stub": return "\(n.id){{\"\(text)\"}}"
      default: return "\(n.id)[\"\(text)\"]"
      }
    }
    for (i, c) in d.clusters.enumerated() {
      out += "  subgraph c\(i)[\"\(Escape.mermaid(c.label))\"]\n"
      for n in d.nodes where n.cluster == i { out += "    " + node(n) + "\n" }
      out += "  end\n"
    }
    for n in d.nodes where n.cluster == nil { out += "  " + node(n) + "\n" }
    var linkStyles: [String: [Int]] = [:]
    for (i, e) in d.edges.enumerated() {
      let arrow = e.attributes["style"] == "dashed" ? "-.->" : "-->"
      out += "  \(e.from) \(arrow)" + (e.label.map { "|\"\(Escape.mermaid($0))\"|" } ?? "") + " \(e.to)\n"
      if let c = e.attributes["color"], c != "#5b6b7b" { linkStyles[c, default: []].append(i) }
    }
    var classes: [String: [String]] = [:]
    for n in d.nodes {
      if let c = n.attributes["color"], n.attributes["penwidth"] != nil { classes[c, default: []].append(n.id) }
    }
    for (i, (color, ids)) in classes.sorted(by: { $0.key < $1.key }).enumerated() {
      out += "  classDef hl\(i) stroke:\(color),stroke-width:2px\n  class \(ids.joined(separator: ",")) hl\(i)\n"
    }
    for (color, edges) in linkStyles.sorted(by: { $0.key < $1.key }) {
      out += "  linkStyle \(edges.map(String.init).joined(separator: ",")) stroke:\(color),stroke-width:2px\n"
    }
    return out
  }
}
