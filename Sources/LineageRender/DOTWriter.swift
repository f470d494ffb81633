/// Writes a ``Diagram`` as DOT text. The same diagram always gives the same bytes.
public enum DOTWriter {
  /// The DOT text; `layout` attributes (engine settings) are merged into the graph's.
  public static func write(_ d: Diagram, engine: String, layout: [String: String] = [:]) -> String {
    func comment(_ s: String) -> String { Escape.clean(s).split(separator: "\n").joined(separator: " ") }
    var out = "// \(comment(d.title))\n"
    out += "// layout engine: \(engine)\n"
    for n in d.notes { out += "// note: \(comment(n))\n" }
    out += "digraph lineage {\n"
    var graph = d.graphAttributes.merging(layout) { _, new in new }
    var footer = d.notes
    if !d.legend.isEmpty { footer.append(d.legend.map(\.label).joined(separator: "   ")) }
    if !footer.isEmpty {
      graph["labelloc"] = "b"
      graph["labeljust"] = "l"
    }
    var graphLine: String = attributes(graph)
    if !footer.isEmpty {
      let text: String = Escape.dotText(footer.joined(separator: "\n"))
      graphLine += ", label=" + text
    }
    out += "  graph [" + graphLine + "];\n"
    out += "  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\", fillcolor=\"#ffffff\"];\n"
    out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5b6b7b\", arrowsize=0.7];\n"
    for (i, c) in d.clusters.enumerated() {
      out += "  subgraph cluster_\(i) {\n"
      out +=
        "    label=\(Escape.dotText(c.label)); style=\"rounded,filled\"; fillcolor=\"#f6f8fa\"; color=\"#c9d1d9\"; fontname=\"Helvetica-Bold\";"
      if !c.classes.isEmpty { out += " class=\(Escape.dotPlain(c.classes.joined(separator: " ")));" }
      out += "\n"
      for n in d.nodes where n.cluster == i { out += "    " + node(n) }
      out += "  }\n"
    }
    for n in d.nodes where n.cluster == nil { out += "  " + node(n) }
    for e in d.edges {
      var attrs = e.attributes
      if !e.classes.isEmpty { attrs["class"] = e.classes.joined(separator: " ") }
      let from = e.from + (e.fromPort.map { ":\($0):e" } ?? "")
      let to = e.to + (e.toPort.map { ":\($0):w" } ?? "")
      var list = attributes(attrs)
      if let l = e.label { list += (list.isEmpty ? "" : ", ") + "label=" + Escape.dotText(l) }
      out += "  \(from) -> \(to)" + (list.isEmpty ? "" : " [\(list)]") + ";\n"
    }
    out += "}\n"
    return out
  }

  static func attributes(_ a: [String: String]) -> String {
    a.sorted { $0.key < $1.key }.map { "\($0.key)=" + Escape.dotPlain($0.value) }.joined(separator: ", ")
  }

  static func node(_ n: Diagram.Node) -> String {
    var attrs = n.attributes
    if !n.classes.isEmpty { attrs["class"] = n.classes.joined(separator: " ") }
    var parts = [attributes(attrs)].filter { !$0.isEmpty }
    switch n.label {
    case .lines(let lines): parts.append("label=" + Escape.dotText(lines.joined(separator: "\n")))
    case .table(let title, let subtitle, let rows): parts.append("label=<" + table(title, subtitle, rows) + ">")
    }
    if let t = n.tooltip { parts.append("tooltip=" + Escape.dotTooltip(t)) }
    return "\(n.id) [\(parts.joined(separator: ", "))];\n"
  }

  static func table(_ title: String, _ subtitle: String?, _ rows: [Diagram.Row]) -> String {
    var s = "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">"
    s += "<TR><TD BGCOLOR=\"#dde7f3\"><B>\(Escape.html(title))</B>"
    if let subtitle { s += "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#555555\">\(Escape.html(subtitle))</FONT>" }
    s += "</TD></TR>"
    for r in rows {
      let bg = r.highlight.map { " BGCOLOR=\"\(Escape.html($0))\"" } ?? ""
      s += "<TR><TD PORT=\"\(r.port)\" ALIGN=\"LEFT\"\(bg)>\(Escape.html(r.name))"
      if let d = r.detail { s += " <FONT COLOR=\"#777777\">\(Escape.html(d))</FONT>" }
      s += "</TD></TR>"
    }
    return s + "</TABLE>"
  }
}
