public import LineageCore

/// One node in a result list, with what the reports show about it.
public struct NodeRow: Sendable, Equatable {
  public var id: String
  public var kind: String
  public var domain: String?
  public var owner: String?
  /// Hops from the nearest root (0 for a root).
  public var depth: Int
  public var status: String
  public var name: String?
  /// Where the node comes from, for imported and merged inputs ("observed in events.json").
  public var provenance: [String] = []
  /// For a node reached from a column: how (``ColumnReach/Via/note``, "reads without
  /// declaring columns"), and the column or node it is reached through.
  public var via: String?
  public var through: String?
  /// The same, as one sentence for text ("reads P without declaring columns").
  public var viaText: String?

  public init(
    id: String, kind: String, domain: String?, owner: String?, depth: Int, status: String,
    name: String? = nil
  ) {
    self.id = id
    self.kind = kind
    self.domain = domain
    self.owner = owner
    self.depth = depth
    self.status = status
    self.name = name
  }

  /// Rows for graph nodes and their depths, sorted by id.
  public static func rows(_ model: LineageModel, nodes: [Int32], depths: [Int32]) -> [NodeRow] {
    let g = model.graph
    var order = Array(nodes.indices)
    order.sort { g.ids.precedes(nodes[$0], nodes[$1]) }
    return order.map { i in
      let v = nodes[i]
      let decl = model.declaration(of: v)
      var row = NodeRow(
        id: g.id(v), kind: g.kindName(v), domain: g.domainName(v), owner: g.ownerName(v),
        depth: Int(depths[i]), status: g.status[Int(v)].rawValue, name: decl?.name)
      row.provenance = decl?.provenance.map(\.description) ?? []
      return row
    }
  }

  /// Rows for a column's reach: its columns and its nodes (each with how it is
  /// reached), sorted by id.
  public static func rows(_ model: LineageModel, reach: ColumnReach) -> [NodeRow] {
    let g = model.graph, cg = model.columns
    var rows = columnRows(model, columns: reach.columns.map(\.column), depths: reach.columns.map { Int32($0.depth) })
    var nodeRows = Self.rows(model, nodes: reach.nodes.map(\.node), depths: reach.nodes.map { Int32($0.depth) })
    for (i, n) in reach.nodes.enumerated() {
      // Both lists are sorted by id.
      let through = n.throughColumn.map { cg.qualifiedName($0, in: g) } ?? n.throughNode.map { g.id($0) }
      nodeRows[i].via = n.via.note
      nodeRows[i].through = through
      let t = through ?? "?"
      switch n.via {
      case .lineage:
        // The row is the column's owner: its name is enough.
        let column = n.throughColumn.map { cg.name($0) } ?? t
        nodeRows[i].viaText = reach.direction == .downstream ? "derives \(column)" : "provides \(column)"
      case .byName: nodeRows[i].viaText = "reads \(t) by name"
      case .columnsNotDeclared: nodeRows[i].viaText = "reads \(t) without declaring columns"
      case .columnsUnknown: nodeRows[i].viaText = "reads \(t) (columns unknown)"
      }
    }
    rows += nodeRows
    rows.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    return rows
  }

  /// Rows for columns of the column graph, sorted by qualified name.
  public static func columnRows(_ model: LineageModel, columns: [Int32], depths: [Int32]) -> [NodeRow] {
    let g = model.graph, cg = model.columns
    var rows = zip(columns, depths).map { c, d in
      let v = cg.node[Int(c)]
      return NodeRow(
        id: cg.qualifiedName(c, in: g), kind: "column", domain: g.domainName(v), owner: g.ownerName(v),
        depth: Int(d), status: g.status[Int(v)].rawValue)
    }
    rows.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    return rows
  }
}

/// An edge between two listed nodes, with where it comes from.
public struct EdgeRow: Sendable, Equatable {
  /// The upstream node (data flows from it).
  public var from: String
  public var to: String
  public var provenance: [String]

  /// The edges among `nodes` whose provenance is known (imported or merged inputs),
  /// sorted by reader, then upstream node.
  public static func rows(_ model: LineageModel, nodes: [Int32]) -> [EdgeRow] {
    let g = model.graph
    var inSet = Set(nodes)
    var out: [EdgeRow] = []
    for v in nodes {
      guard let decl = model.declaration(of: v) else { continue }
      for input in decl.inputs where !input.provenance.isEmpty {
        guard let u = g.index(of: input.product), inSet.contains(u) else { continue }
        out.append(EdgeRow(from: input.product, to: decl.id, provenance: input.provenance.map(\.description)))
      }
    }
    inSet.removeAll()
    out.sort {
      $0.to != $1.to
        ? $0.to.utf8.lexicographicallyPrecedes($1.to.utf8) : $0.from.utf8.lexicographicallyPrecedes($1.from.utf8)
    }
    return out
  }
}

/// The result of `upstream`, `downstream` and `select`.
public struct NodeListReport: Sendable {
  /// Set when the report answers from an input that was read only in part.
  public var partial: PartialNote?
  /// `upstream`, `downstream` or `select`.
  public var command: String
  /// The selector arguments as given.
  public var selector: [String]
  public var exclude: String?
  /// The depth limit, nil for none.
  public var maxDepth: Int?
  /// `product` or `column`.
  public var level: String
  public var rows: [NodeRow]
  /// Edges among the rows whose provenance is known; empty for a single mesh spec.
  public var edges: [EdgeRow]

  public init(
    command: String, selector: [String], exclude: String? = nil, maxDepth: Int? = nil,
    level: String = "product", rows: [NodeRow], edges: [EdgeRow] = []
  ) {
    self.edges = edges
    self.command = command
    self.selector = selector
    self.exclude = exclude
    self.maxDepth = maxDepth
    self.level = level
    self.rows = rows
  }

  /// JSON: `{"command", "selector", "level", "depth", "count", "nodes": [{id, kind, domain, owner, depth, status, name, via, through}]}`; `via` and `through` only for nodes reached from a column.
  public func json() -> [UInt8] {
    var w = JSONWriter(capacity: 128 + rows.count * 120)
    w.beginObject()
    w.field("command", command)
    partial.write(into: &w)
    w.field("selector", selector)
    if let exclude { w.field("exclude", exclude) }
    w.field("level", level)
    w.key("depth")
    if let maxDepth { w.int(maxDepth) } else { w.null() }
    w.field("count", rows.count)
    w.key("nodes")
    w.beginArray()
    for r in rows {
      w.beginObject(compact: true)
      w.field("id", r.id)
      w.field("kind", r.kind)
      w.field("domain", r.domain)
      w.field("owner", r.owner)
      w.field("depth", r.depth)
      w.field("status", r.status)
      if let name = r.name { w.field("name", name) }
      if !r.provenance.isEmpty { w.field("provenance", r.provenance) }
      if let via = r.via { w.field("via", via) }
      if let through = r.through { w.field("through", through) }
      w.endObject()
    }
    w.endArray()
    if !edges.isEmpty {
      w.key("edges")
      w.beginArray()
      for e in edges {
        w.beginObject(compact: true)
        w.field("from", e.from)
        w.field("to", e.to)
        w.field("provenance", e.provenance)
        w.endObject()
      }
      w.endArray()
    }
    w.endObject()
    return w.bytes
  }

  var showProvenance: Bool { rows.contains { !$0.provenance.isEmpty } }

  /// Text grouped by domain, aligned, one line per node.
  public func text(style: TextStyle) -> String {
    let what = selector.map(terminalSafe).joined(separator: " ")
    let domains = Set(rows.map { $0.domain ?? "" })
    let deepest = rows.map(\.depth).max() ?? 0
    var head: String
    switch command {
    case "select": head = "select \(what)"
    default: head = "\(command) of \(what)"
    }
    if let exclude { head += " excluding \(terminalSafe(exclude))" }
    if let maxDepth { head += " (depth ≤ \(maxDepth))" }
    var out = partial.text(style: style) + style.bold(head) + ": "
    if level == "column" {
      let columns = rows.filter { $0.kind == "column" }.count, readers = rows.count - columns
      out += "\(columns) column\(columns == 1 ? "" : "s")"
      // Downstream, every node listed reads the column (through lineage or inputs);
      // upstream, the nodes are the owners of the columns it derives from.
      let noun = command == "upstream" ? "node" : "reader"
      if readers > 0 { out += " and \(readers) \(noun)\(readers == 1 ? "" : "s")" }
    } else {
      out += "\(rows.count) node\(rows.count == 1 ? "" : "s")"
    }
    if !rows.isEmpty {
      out += " in \(domains.count) domain\(domains.count == 1 ? "" : "s")"
      if deepest > 0 { out += ", deepest \(deepest) hop\(deepest == 1 ? "" : "s")" }
    }
    out += "\n"
    var byDomain: [String: [NodeRow]] = [:]
    for r in rows { byDomain[r.domain ?? "", default: []].append(r) }
    let showProvenance = self.showProvenance
    let showVia = rows.contains { $0.viaText != nil }
    for (d, group) in byDomain.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      out += "\n" + style.bold(d.isEmpty ? "(no domain)" : terminalSafe(d)) + style.dim("  \(group.count)") + "\n"
      let cells = group.map { r -> [String] in
        let depth = r.depth == 0 ? "root" : "\(r.depth) hop\(r.depth == 1 ? "" : "s")"
        let status = r.status == "active" ? "" : r.status
        var row = [terminalSafe(r.id), terminalSafe(r.kind), terminalSafe(r.owner ?? "-"), depth, terminalSafe(status)]
        if showVia { row.append(terminalSafe(r.viaText ?? "")) }
        if showProvenance { row.append(terminalSafe(r.provenance.joined(separator: "; "))) }
        return row
      }
      out += table(
        cells,
        styles: showVia
          ? [1: style.cyan, 3: style.dim, 4: style.yellow, 5: style.dim, 6: style.dim]
          : [1: style.cyan, 3: style.dim, 4: style.yellow, 5: style.dim])
    }
    if !edges.isEmpty {
      out += "\n" + style.bold("edges") + style.dim("  \(edges.count)") + "\n"
      let shown = edges.prefix(200)
      out += table(
        shown.map {
          [terminalSafe($0.from), "->", terminalSafe($0.to), terminalSafe($0.provenance.joined(separator: "; "))]
        },
        styles: [1: style.dim, 3: style.dim])
      if edges.count > shown.count {
        out += style.dim("  ... \(edges.count - shown.count) more; --format json lists them all") + "\n"
      }
    }
    return out
  }
}
