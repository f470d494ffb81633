internal import LineageCore

/// Impact highlighting: a view coloured by a blast radius.
extension Views {
  static let breaksColor = "#cf222e", mayBreakColor = "#bf8700", changedColor = "#0969da", mutedColor = "#afb8c1"

  /// Colours a view by a blast radius: the change blue, breaks red, may-break amber,
  /// the rest greyed; edges along the paths to affected nodes take their colour.
  static func highlight(_ d: inout Diagram, _ r: ImpactResult, model: LineageModel, included: [Int32], level: ViewLevel)
  {
    let g = model.graph
    guard level != .domain else {
      d.notes.append("the blast radius is drawn at the product and column levels only")
      return
    }
    var verdict: [Int32: Verdict] = [:]
    for (v, x) in zip(r.nodes, r.verdicts) { verdict[v] = x }
    var idOf: [String: Int32] = [:]
    for (i, v) in included.enumerated() where i < d.nodes.count { idOf[d.nodes[i].id] = v }
    var onPath = Set<Int64>()
    for i in 0..<r.count {
      let path = r.path(at: i)
      for (x, y) in zip(path, path.dropFirst()) { onPath.insert(key(x, y)) }
    }
    for i in d.nodes.indices {
      guard let v = idOf[d.nodes[i].id] else { continue }
      var a = d.nodes[i].attributes
      if v == r.product {
        a["color"] = changedColor
        a["penwidth"] = "3"
        if a["shape"] != "plain" { a["fillcolor"] = "#ddf4ff" }
        d.nodes[i].classes.append("changed")
      } else if let vd = verdict[v] {
        a["color"] = vd == .breaks ? breaksColor : mayBreakColor
        a["penwidth"] = "2.5"
        if a["shape"] != "plain" { a["fillcolor"] = vd == .breaks ? "#ffebe9" : "#fff8c5" }
        d.nodes[i].classes.append("verdict-" + vd.rawValue)
      } else {
        a["color"] = mutedColor
        a["fontcolor"] = "#8c959f"
        if a["shape"] != "plain" { a["fillcolor"] = "#f6f8fa" }
        d.nodes[i].classes.append("unaffected")
      }
      d.nodes[i].attributes = a
      if case .table(let title, let subtitle, var rows) = d.nodes[i].label {
        for j in rows.indices {
          rows[j].highlight = nil
          guard let c = model.columns.column(of: v, named: rows[j].name) else { continue }
          if v == r.product && (r.column == nil || r.column == rows[j].name) {
            rows[j].highlight = "#b6e3ff"
          } else if let cv = r.columnVerdicts[c] {
            rows[j].highlight = cv == .breaks ? "#ffcecb" : "#fff1a8"
          }
        }
        d.nodes[i].label = .table(title: title, subtitle: subtitle, rows: rows)
      }
    }
    // Column edges take the verdict of the column they reach; reads that of the reader.
    var portColumn: [String: Int32] = [:]
    for n in d.nodes {
      guard let v = idOf[n.id], case .table(_, _, let rows) = n.label else { continue }
      for row in rows {
        if let c = model.columns.column(of: v, named: row.name) { portColumn[n.id + ":" + row.port] = c }
      }
    }
    for i in d.edges.indices {
      guard let from = idOf[d.edges[i].from], let to = idOf[d.edges[i].to] else { continue }
      if level == .column {
        var vd: Verdict?
        if let port = d.edges[i].toPort, let c = portColumn[d.edges[i].to + ":" + port] {
          vd = r.columnVerdicts[c]
        } else if let port = d.edges[i].fromPort, let c = portColumn[d.edges[i].from + ":" + port],
          r.columnVerdicts[c] != nil || (from == r.product && model.columns.name(c) == r.column)
        {
          vd = verdict[to]
        }
        if let vd {
          d.edges[i].attributes["color"] = vd == .breaks ? breaksColor : mayBreakColor
          d.edges[i].attributes["penwidth"] = "2"
          d.edges[i].classes.append("impact")
        } else {
          d.edges[i].attributes["color"] = mutedColor
        }
        continue
      }
      if onPath.contains(key(from, to)), let vd = verdict[to] {
        d.edges[i].attributes["color"] = vd == .breaks ? breaksColor : mayBreakColor
        d.edges[i].attributes["penwidth"] = "2"
        d.edges[i].classes.append("impact")
      } else if d.edges[i].attributes["color"] == nil {
        d.edges[i].attributes["color"] = mutedColor
      }
    }
    let what = g.id(r.product) + (r.column.map { "." + $0 } ?? "")
    d.title += ", impact of \(r.change) \(what)"
    d.legend = [
      ("blue: \(r.change) \(what)", changedColor), ("red: breaks", breaksColor),
      ("amber: may break", mayBreakColor), ("grey: unaffected", mutedColor),
    ]
  }
}
