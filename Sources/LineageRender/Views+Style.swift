internal import LineageCore

/// How a node looks: its Graphviz attributes and shape by kind and status, its
/// meta line, tooltip and CSS classes.
extension Views {
  static let cycleColor = "#d1242f"

  static func style(_ model: LineageModel, _ v: Int32) -> (attributes: [String: String], shape: String) {
    let g = model.graph
    var a: [String: String] = [:]
    var shape = "box"
    switch g.kindName(v) {
    case "source":
      a["shape"] = "cylinder"
      a["fillcolor"] = "#e8f1fb"
      shape = "cylinder"
    case "consumer", "exposure":
      a["shape"] = "note"
      a["fillcolor"] = "#fff4d6"
      shape = "stadium"
    default:
      a["shape"] = "box"
      a["style"] = "rounded,filled"
      shape = "round"
    }
    var styles = (a["style"] ?? "filled").split(separator: ",").map(String.init)
    switch g.status[Int(v)] {
    case .deprecated: styles.append("dashed")
    case .draft: styles.append("dotted")
    case .retired:
      styles.append("dashed")
      a["fillcolor"] = "#eeeeee"
      a["fontcolor"] = "#8c959f"
      a["color"] = "#8c959f"
    case .active: break
    }
    a["style"] = styles.joined(separator: ",")
    return (a, shape)
  }

  static func meta(_ model: LineageModel, _ v: Int32) -> String? {
    let g = model.graph
    var parts: [String] = []
    if let n = model.declaration(of: v) {
      if n.access != .public { parts.append(n.access.rawValue) }
      if let s = n.sensitivity, s != .public, s != .internal { parts.append(s.rawValue) }
    }
    if g.status[Int(v)] != .active { parts.append(g.status[Int(v)].rawValue) }
    return parts.isEmpty ? nil : "[" + parts.joined(separator: " · ") + "]"
  }

  static func tooltip(_ model: LineageModel, _ v: Int32) -> String {
    let g = model.graph
    var lines = ["\(g.kindName(v)) \(g.id(v))", "domain: \(g.domainName(v) ?? "-")", "owner: \(g.ownerName(v) ?? "-")"]
    if let d = model.declaration(of: v)?.description { lines.append(String(d.prefix(300))) }
    return lines.joined(separator: "\n")
  }

  static func classes(_ model: LineageModel, _ v: Int32) -> [String] {
    let g = model.graph
    return [
      "kind-" + Escape.cssClass(g.kindName(v)), "domain-" + Escape.cssClass(g.domainName(v) ?? "none"),
      "status-" + g.status[Int(v)].rawValue,
    ]
  }
}
