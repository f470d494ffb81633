import LineageCore

/// The result of `upstream`, `downstream` and `select`.
public struct NodeListReport: Sendable {
  /// Set when the report answers from an input that was read only in part.
  public var partial: PartialNote?
  /// `upstream`, `downstream` or `select`.
  public var command: String
  /// The selector arguments as given.
  public var selector: [String]
  /// The selector of the nodes left out, as given; nil for none.
  public var exclude: String?
  /// The depth limit, nil for none.
  public var maxDepth: Int?
  /// `product` or `column`.
  public var level: String
  /// The nodes (for a column's reach, its columns and nodes), sorted by id (byte order).
  /// A report of graph nodes keeps them as the graph holds them and makes the rows when
  /// they are asked for; its writers read the graph directly.
  public var rows: [NodeRow] {
    get {
      switch storage {
      case .rows(let rows): rows
      case .table(let table): table.rows
      }
    }
    set { storage = .rows(newValue) }
  }
  /// The rows, as given or as graph nodes.
  var storage: Storage
  enum Storage: Sendable {
    case rows([NodeRow])
    case table(NodeTable)

    /// The rows given as rows; none for a table, which writes its own.
    var givenRows: [NodeRow] {
      if case .rows(let rows) = self { return rows }
      return []
    }
  }
  /// The number of rows.
  var rowCount: Int {
    switch storage {
    case .rows(let rows): rows.count
    case .table(let table): table.count
    }
  }
  /// Edges among the rows whose provenance is known; empty for a single mesh spec.
  public var edges: [EdgeRow]

  /// Creates a report; each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - command: Sets ``command``.
  ///   - selector: Sets ``selector``.
  ///   - exclude: Sets ``exclude``.
  ///   - maxDepth: Sets ``maxDepth``.
  ///   - level: Sets ``level``.
  ///   - rows: Sets ``rows``.
  ///   - edges: Sets ``edges``.
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
    self.storage = .rows(rows)
  }

  /// A report of graph nodes at their depths, sorted by id here.
  init(
    command: String, selector: [String], exclude: String? = nil, maxDepth: Int? = nil,
    table: NodeTable, edges: [EdgeRow]
  ) {
    self.edges = edges
    self.command = command
    self.selector = selector
    self.exclude = exclude
    self.maxDepth = maxDepth
    self.level = "product"
    self.storage = .table(table)
  }

  /// JSON: `{"command", "selector", "level", "depth", "count", "nodes": [{id, kind, domain, owner, depth, status, name, via, through}]}`; `via` and `through` only for nodes reached from a column.
  public func json() -> [UInt8] { written().bytes }

  /// ``json()`` as pieces to write one after another (long lists are written in chunks
  /// on every core, and not joined).
  ///
  /// - Returns: The pieces; together, the bytes of ``json()``.
  public func jsonPieces() -> [[UInt8]] { written().pieces() }

  /// The bytes of ``json()`` as an output to write: long lists of rows are laid out
  /// as they are written, on every core, into buffers that are reused.
  ///
  /// - Returns: The output.
  public func jsonOutput() -> ReportBytes { written().output }

  func written() -> JSONWriter {
    // Long lists go to pieces of their own: the writer itself holds little.
    var w = JSONWriter(capacity: rowCount > 65_536 ? 4_096 : 128 + rowCount * 120)
    w.beginObject()
    w.field("command", command)
    partial.write(into: &w)
    w.field("selector", selector)
    if let exclude { w.field("exclude", exclude) }
    w.field("level", level)
    w.key("depth")
    if let maxDepth { w.int(maxDepth) } else { w.null() }
    w.field("count", rowCount)
    w.key("nodes")
    w.beginArray()
    if case .table(let table) = storage { table.writeJSON(into: &w) }
    for r in storage.givenRows {
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
    return w
  }

  /// Text grouped by domain, aligned, one line per node, then at most 200 edges.
  ///
  /// - Parameters:
  ///   - style: Colour or not.
  ///   - moreEdges: After "... N more;" when edges are left out: where to find them
  ///     all, in the front end's words (the command line names `--format json`).
  /// - Returns: The text.
  public func text(style: TextStyle, moreEdges: String = "the JSON output lists them all") -> String {
    String(decoding: textBytes(style: style, moreEdges: moreEdges), as: UTF8.self)
  }

  /// ``text(style:moreEdges:)`` as UTF-8, written into one buffer.
  ///
  /// - Parameters:
  ///   - style: Colour or not.
  ///   - moreEdges: As for ``text(style:moreEdges:)``.
  /// - Returns: The text's bytes.
  public func textBytes(style: TextStyle, moreEdges: String = "the JSON output lists them all") -> [UInt8] {
    textOutput(style: style, moreEdges: moreEdges).bytes
  }

  /// The bytes of ``text(style:moreEdges:)`` as an output to write: a long list's rows
  /// are laid out as they are written, on every core.
  ///
  /// - Parameters:
  ///   - style: Colour or not.
  ///   - moreEdges: What the note on edges left out says.
  /// - Returns: The output.
  public func textOutput(style: TextStyle, moreEdges: String = "the JSON output lists them all") -> ReportBytes {
    if case .table(let table) = storage, let groups = table.textGroups(style: style) {
      let (domains, deepest) = table.domainCountAndDeepest
      let head = headline(style: style, domains: domains, deepest: deepest, rows: [])
      return ReportBytes(
        [.bytes(Array(head.utf8))] + groups + [.bytes(Array(edgesText(style: style, moreEdges: moreEdges).utf8))])
    }
    return ReportBytes(generalText(style: style, moreEdges: moreEdges))
  }

  /// The text laid out from ``rows``, for any string.
  func generalText(style: TextStyle, moreEdges: String) -> [UInt8] {
    let rows = self.rows
    var out = headline(
      style: style, domains: Set(rows.map { $0.domain ?? "" }).count, deepest: rows.map(\.depth).max() ?? 0,
      rows: rows)
    var byDomain: [String: [NodeRow]] = [:]
    for r in rows { byDomain[r.domain ?? "", default: []].append(r) }
    let showProvenance = rows.contains { !$0.provenance.isEmpty }
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
    out += edgesText(style: style, moreEdges: moreEdges)
    return Array(out.utf8)
  }

  /// The first line: what was asked, how many rows in how many domains; `rows` are
  /// read only for a column's reach (which counts columns and readers apart).
  func headline(style: TextStyle, domains: Int, deepest: Int, rows: [NodeRow]) -> String {
    let what = selector.map(terminalSafe).joined(separator: " ")
    let count = rowCount
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
      out += "\(count) node\(count == 1 ? "" : "s")"
    }
    if count > 0 {
      out += " in \(domains) domain\(domains == 1 ? "" : "s")"
      if deepest > 0 { out += ", deepest \(deepest) hop\(deepest == 1 ? "" : "s")" }
    }
    out += "\n"
    return out
  }

  /// The edges section of the text: at most 200 edges, then how many more.
  func edgesText(style: TextStyle, moreEdges: String) -> String {
    var out = ""
    if !edges.isEmpty {
      out += "\n" + style.bold("edges") + style.dim("  \(edges.count)") + "\n"
      let shown = edges.prefix(200)
      out += table(
        shown.map {
          [terminalSafe($0.from), "->", terminalSafe($0.to), terminalSafe($0.provenance.joined(separator: "; "))]
        },
        styles: [1: style.dim, 3: style.dim])
      if edges.count > shown.count {
        out += style.dim("  ... \(edges.count - shown.count) more; \(moreEdges)") + "\n"
      }
    }
    return out
  }
}
