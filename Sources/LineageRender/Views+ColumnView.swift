internal import LineageCore

/// The column level: table-shaped nodes with one row per column.
extension Views {
  static func columnView(
    _ model: LineageModel, included: [Int32], cyclic: Set<Int64>, upSide: Set<Int32>,
    downSide: Set<Int32>, focused: Bool, hidden: (Int32) -> Bool = { _ in false }
  ) -> Diagram {
    let g = model.graph, cg = model.columns
    var d = Diagram(title: "\(model.mesh.name): column level, \(included.count) nodes")
    d.graphAttributes = ["fontname": "Helvetica", "nodesep": "0.3", "ranksep": "1.0"]
    let (clusters, clusterOf) = clusters(model, included)
    let names = labels(model, included)
    d.clusters = clusters
    // Columns per node, in schema order (declared first, then implicit ones).
    var columnsOf: [Int32: [Int32]] = [:]
    for c in 0..<Int32(cg.count) { columnsOf[cg.node[Int(c)], default: []].append(c) }
    var ids: [Int32: String] = [:]
    var port: [Int32: String] = [:]
    for (i, v) in included.enumerated() {
      let id = "n\(i)"
      ids[v] = id
      let cols = columnsOf[v] ?? []
      let decl = model.declaration(of: v)
      var (attrs, shape) = style(model, v)
      if cols.isEmpty {
        var lines = [names[v] ?? g.id(v)]
        if let m = meta(model, v) { lines.append(m) }
        d.nodes.append(
          Diagram.Node(
            id: id, label: .lines(lines), attributes: attrs, tooltip: tooltip(model, v),
            classes: classes(model, v), cluster: clusterOf[v],
            shape: shape))
        continue
      }
      var rows: [Diagram.Row] = []
      for (j, c) in cols.enumerated() {
        port[c] = "c\(j)"
        let col = decl?.column(named: cg.name(c))
        var detail = col?.type ?? ""
        if col?.classification != nil { detail += (detail.isEmpty ? "" : " ") + (col?.classification ?? "") }
        if col?.masked == true { detail += " masked" }
        rows.append(
          Diagram.Row(
            port: "c\(j)", name: cg.name(c), detail: detail.isEmpty ? nil : detail,
            highlight: col?.classification == "pii" && col?.masked != true ? "#fde2e1" : nil))
      }
      attrs = ["shape": "plain"]
      if g.status[Int(v)] == .retired { attrs["fontcolor"] = "#8c959f" }
      d.nodes.append(
        Diagram.Node(
          id: id, label: .table(title: names[v] ?? g.id(v), subtitle: meta(model, v), rows: rows),
          attributes: attrs, tooltip: tooltip(model, v), classes: classes(model, v),
          cluster: clusterOf[v], shape: "box"))
    }
    for c in 0..<Int32(cg.count) {
      let v = cg.node[Int(c)]
      guard let from = ids[v] else { continue }
      // A column that steers every column of a reader (a join key or filter of its SQL,
      // which feeds each output row) is drawn once, to the reader, not once per column.
      var reached: [Int32: Int] = [:], indirectTo: [Int32: [Transform]] = [:]
      var k = Int(cg.forward.offsets[Int(c)])
      for t in cg.forward.neighbors(c) {
        defer { k += 1 }
        let w = cg.node[Int(t)]
        reached[w, default: 0] += 1
        if cg.transform[k].isIndirect { indirectTo[w, default: []].append(cg.transform[k]) }
      }
      var collapsed = Set<Int32>()
      for (w, transforms) in indirectTo.sorted(by: { $0.key < $1.key }) {
        // Every column of w that derives from anything at all.
        let derived = (columnsOf[w] ?? []).count { cg.reverse.neighbors($0).count > 0 }
        guard transforms.count >= 2, reached[w] == derived, let to = ids[w] else { continue }
        collapsed.insert(w)
        let kinds = Array(Set(transforms.map(\.rawValue))).sorted().joined(separator: ", ")
        var e = Diagram.Edge(
          from: from, to: to, fromPort: port[c], attributes: ["style": "dashed"],
          classes: ["column-edge", "indirect", "every-column"])
        e.label = kinds + " (every column)"
        if cyclic.contains(key(v, w)) {
          e.attributes["color"] = cycleColor
          e.classes.append("cycle")
        }
        d.edges.append(e)
      }
      var i = Int(cg.forward.offsets[Int(c)])
      for t in cg.forward.neighbors(c) {
        defer { i += 1 }
        let w = cg.node[Int(t)]
        guard let to = ids[w] else { continue }
        if collapsed.contains(w), cg.transform[i].isIndirect { continue }
        var e = Diagram.Edge(
          from: from, to: to, fromPort: port[c], toPort: port[t], attributes: [:],
          classes: ["column-edge"])
        let transform = cg.transform[i]
        if transform.isIndirect {
          e.attributes["style"] = "dashed"
          e.classes.append("indirect")
        }
        if transform != .identity { e.label = transform.rawValue }
        if cyclic.contains(key(v, w)) {
          e.attributes["color"] = cycleColor
          e.classes.append("cycle")
        }
        d.edges.append(e)
      }
      for reader in cg.reads.neighbors(c) where (columnsOf[reader] ?? []).isEmpty {
        guard let to = ids[reader] else { continue }
        d.edges.append(
          Diagram.Edge(
            from: from, to: to, fromPort: port[c], attributes: ["color": "#8c959f"],
            classes: ["read"]))
      }
    }
    d.legend.append(("dashed: indirect use (join, filter, group by)", ""))
    d.legend.append(("pink row: unmasked personal data", "#fde2e1"))
    if focused { stubs(g, included, ids: ids, upSide: upSide, downSide: downSide, hidden: hidden, into: &d) }
    return d
  }
}
