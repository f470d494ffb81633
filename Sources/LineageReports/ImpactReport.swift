internal import Dispatch
public import LineageCore

/// The result of `impact`: every affected node with its verdict, reason and path, a
/// summary by domain and the teams to notify.
public struct ImpactReport: Sendable {
  /// Set when the report answers from an input that was read only in part.
  public var partial: PartialNote?
  /// One affected node.
  public struct Row: Sendable, Equatable {
    /// The node's id.
    public var id: String
    /// Its kind.
    public var kind: String
    /// Whether the change breaks it or may break it.
    public var verdict: Verdict
    /// Its columns the change reaches.
    public var columns: [String]
    /// Its domain.
    public var domain: String?
    /// Its owning team.
    public var owner: String?
    /// The node ids from the changed product to it.
    public var path: [String]
    /// Why, in one phrase.
    public var reason: String

    /// The row as a compact JSON object (the `affected` element of the brief).
    public func write(into w: inout JSONWriter) {
      w.rawValue { out in
        func string(_ s: String) {
          var s = s
          s.withUTF8 { JSONWriter.appendString($0, to: &out) }
        }
        func list(_ l: [String]) {
          out.append(UInt8(ascii: "["))
          for (k, s) in l.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            string(s)
          }
          out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: #"{"id":"#.utf8)
        string(id)
        out.append(contentsOf: #","kind":"#.utf8)
        string(kind)
        out.append(contentsOf: verdict == .breaks ? #","verdict":"breaks""#.utf8 : #","verdict":"may-break""#.utf8)
        out.append(contentsOf: #","columns":"#.utf8)
        list(columns)
        out.append(contentsOf: #","domain":"#.utf8)
        if let domain { string(domain) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","owner":"#.utf8)
        if let owner { string(owner) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","path":"#.utf8)
        list(path)
        out.append(contentsOf: #","reason":"#.utf8)
        string(reason)
        out.append(UInt8(ascii: "}"))
      }
    }
  }

  /// A team to notify, with what the change does to its nodes.
  public struct Team: Sendable, Equatable {
    /// The team's id.
    public var id: String
    /// How to reach it.
    public var contact: String?
    /// Its nodes the change breaks.
    public var breaks: Int
    /// Its nodes the change may break.
    public var mayBreak: Int
    /// The team that owns the changed product.
    public var changing: Bool
  }

  /// The changed product, or `PRODUCT.COLUMN`.
  public var target: String
  /// The change (`drop`, `rename`, ...).
  public var change: String
  /// For a retype: `old -> new`.
  public var typeChange: String?
  /// The team that owns the changed product.
  public var changingTeam: String?
  /// The affected nodes. A report made from a blast radius makes them from it when
  /// they are first asked for; its JSON is written from the blast radius directly.
  public var rows: [Row] {
    get {
      switch storage {
      case .rows(let rows): return rows
      case .result(let r, let model): return Self.rows(r, model: model)
      }
    }
    set { storage = .rows(newValue) }
  }
  /// The rows, or the blast radius and model to make them from.
  enum Storage: Sendable {
    case rows([Row])
    case result(ImpactResult, LineageModel)
  }
  var storage: Storage
  /// The teams to notify.
  public var teams: [Team]
  /// Each column the change reaches, with its own verdict (a node's verdict is the
  /// worst of its columns'), written as `columnVerdicts` when set: the server's answer
  /// carries it, for its explorer page to colour each column; nil leaves the field out.
  public var columnVerdicts: [ColumnVerdict]?

  /// One column the change reaches, and how badly.
  public struct ColumnVerdict: Sendable, Equatable {
    /// The id of the column's node.
    public var id: String
    /// The column's name.
    public var column: String
    /// Whether the change breaks it or may break it.
    public var verdict: Verdict
  }

  /// The column verdicts of `r`, sorted by node id, then column name.
  ///
  /// - Parameters:
  ///   - r: The blast radius.
  ///   - model: The model it was computed on, for ids and column names.
  /// - Returns: One element per column the change reaches.
  public static func columnVerdicts(_ r: ImpactResult, model: LineageModel) -> [ColumnVerdict] {
    let cg = model.columns
    return r.columnVerdicts.map { c, v in
      ColumnVerdict(id: model.graph.id(cg.node[Int(c)]), column: cg.name(c), verdict: v)
    }.sorted {
      $0.id != $1.id
        ? $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) : $0.column.utf8.lexicographicallyPrecedes($1.column.utf8)
    }
  }

  /// Creates the report of a blast radius.
  ///
  /// - Parameters:
  ///   - r: The blast radius.
  ///   - model: The model it was computed on, for ids, owners and teams.
  public init(_ r: ImpactResult, model: LineageModel) {
    let g = model.graph
    target = g.id(r.product) + (r.column.map { "." + $0 } ?? "")
    change = r.change.description
    typeChange = r.typeChange?.rawValue
    changingTeam = g.ownerName(r.product)
    storage = .result(r, model)
    let changing = changingTeam
    teams = Self.counts(r, by: g.owner, names: g.ownerNames, none: "(no owner)").map { id, c in
      Team(id: id, contact: model.mesh.team(id)?.contact, breaks: c.0, mayBreak: c.1, changing: id == changing)
    }.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
  }

  /// The rows of a blast radius, in its order.
  static func rows(_ r: ImpactResult, model: LineageModel) -> [Row] {
    let g = model.graph
    // Names made once each: a node's id recurs in the paths of all its readers.
    let kinds = g.kindNames.strings, domains = g.domainNames.strings, owners = g.ownerNames.strings
    var ids = [String?](repeating: nil, count: r.count == 0 ? 0 : g.nodeCount)
    func id(_ v: Int32) -> String {
      if let s = ids[Int(v)] { return s }
      let s = g.id(v)
      ids[Int(v)] = s
      return s
    }
    return (0..<r.count).map { i in
      let node = r.nodes[i], v = Int(node), d = g.domain[v], o = g.owner[v]
      return Row(
        id: id(node), kind: kinds[Int(g.kind[v])], verdict: r.verdicts[i], columns: Array(r.columns(at: i)),
        domain: d < 0 ? nil : domains[Int(d)], owner: o < 0 ? nil : owners[Int(o)], path: r.path(at: i).map(id),
        reason: r.reason(at: i))
    }
  }

  /// A blast radius's breaks and may-breaks per name of a node attribute (domain,
  /// owner), counted per attribute index (no `String` per node), then named.
  ///
  /// - Parameters:
  ///   - r: The blast radius.
  ///   - attribute: Each node's index into `names`, -1 for none.
  ///   - names: The attribute's names.
  ///   - none: The name of "none".
  ///   - halvesFrom: From how many rows on each half is counted on a core of its own.
  /// - Returns: The counts per name.
  static func counts(
    _ r: ImpactResult, by attribute: FlatArray<Int32>, names: Interner, none: String, halvesFrom: Int = 65_536
  ) -> [String: (breaks: Int, mayBreak: Int)] {
    // Each half of many rows counted on a core of its own, then added up.
    let width = names.count + 1
    let halves = r.count >= max(2, halvesFrom) ? 2 : 1
    var counts = [(Int, Int)](repeating: (0, 0), count: halves * width)
    // The rows' nodes are scattered over the attribute's array: the places 16 rows
    // ahead are asked for.
    attribute.withUnsafeBufferPointer { attribute in
      r.withRowBuffers { rows in
        counts.withUnsafeMutableBufferPointer { counts in
          let shared = UnsafeSendable((attribute, rows, counts))
          let n = rows.nodes.count
          let count: @Sendable (Int) -> Void = { h in
            let (attribute, rows, all) = shared.value
            let counts = UnsafeMutableBufferPointer(rebasing: all[h * width..<(h + 1) * width])
            let range = halves == 1 ? 0..<n : h == 0 ? 0..<n / 2 : n / 2..<n
            for i in range {
              if i + 16 < range.upperBound { attribute.prefetch(at: Int(rows.nodes[i + 16])) }
              let x = Int(attribute[Int(rows.nodes[i])]) + 1
              precondition(x >= 0 && x < counts.count)
              if rows.verdicts[i] == .breaks { counts[x].0 += 1 } else { counts[x].1 += 1 }
            }
          }
          if halves == 1 { count(0) } else { DispatchQueue.concurrentPerform(iterations: 2, execute: count) }
        }
      }
    }
    for x in 0..<width where halves == 2 {
      counts[x].0 += counts[width + x].0
      counts[x].1 += counts[width + x].1
    }
    var byName: [String: (breaks: Int, mayBreak: Int)] = [:]
    for (x, c) in counts.prefix(width).enumerated() where c.0 + c.1 > 0 {
      let name = x == 0 ? none : names[Int32(x - 1)]
      let old = byName[name] ?? (0, 0)
      byName[name] = (old.breaks + c.0, old.mayBreak + c.1)
    }
    return byName
  }

  /// The number of affected nodes.
  var rowCount: Int {
    switch storage {
    case .rows(let rows): rows.count
    case .result(let r, _): r.count
    }
  }

  /// How many nodes the change breaks.
  public var breaks: Int {
    switch storage {
    case .rows(let rows): return rows.reduce(0) { $0 + ($1.verdict == .breaks ? 1 : 0) }
    case .result(let r, _): return r.breaksCount
    }
  }
  /// How many nodes the change may break.
  public var mayBreak: Int { rowCount - breaks }

  /// Counts per domain: (domain, breaks, may-break), sorted by domain.
  public var byDomain: [(domain: String, breaks: Int, mayBreak: Int)] {
    var m: [String: (breaks: Int, mayBreak: Int)] = [:]
    switch storage {
    case .rows(let rows):
      for i in rows.indices {
        var c = m[rows[i].domain ?? ""] ?? (0, 0)
        if rows[i].verdict == .breaks { c.breaks += 1 } else { c.mayBreak += 1 }
        m[rows[i].domain ?? ""] = c
      }
    case .result(let r, let model):
      m = Self.counts(r, by: model.graph.domain, names: model.graph.domainNames, none: "")
    }
    return m.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value.0, $0.value.1) }
  }

  /// JSON: `{"target", "change", "typeChange", "summary": {...}, "teams": [...], "affected": [...]}`.
  public func json() -> [UInt8] { written().bytes }

  /// The JSON of ``json()`` in pieces, for an output written piece by piece (a long
  /// list of rows is written in chunks on every core, and not joined).
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
    var w = JSONWriter(capacity: rowCount > 65_536 ? 4096 : 4096 + rowCount * 200)
    w.beginObject()
    partial.write(into: &w)
    w.field("target", target)
    w.field("change", change)
    if let typeChange { w.field("typeChange", typeChange) }
    w.key("summary")
    w.beginObject()
    w.field("breaks", breaks)
    w.field("mayBreak", mayBreak)
    w.key("byDomain")
    w.beginArray()
    for d in byDomain {
      w.beginObject(compact: true)
      w.field("domain", d.domain)
      w.field("breaks", d.breaks)
      w.field("mayBreak", d.mayBreak)
      w.endObject()
    }
    w.endArray()
    w.endObject()
    w.key("teams")
    w.beginArray()
    for t in teams {
      w.beginObject(compact: true)
      w.field("id", t.id)
      w.field("contact", t.contact)
      w.field("breaks", t.breaks)
      w.field("mayBreak", t.mayBreak)
      w.field("changingTeam", t.changing)
      w.endObject()
    }
    w.endArray()
    w.key("affected")
    w.beginArray()
    switch storage {
    case .rows(let rows): for i in rows.indices { rows[i].write(into: &w) }
    case .result(let r, let model): Self.writeRows(r, model: model, into: &w)
    }
    w.endArray()
    if let columnVerdicts {
      w.key("columnVerdicts")
      w.beginArray()
      for c in columnVerdicts {
        w.beginObject(compact: true)
        w.field("id", c.id)
        w.field("column", c.column)
        w.field("verdict", c.verdict.rawValue)
        w.endObject()
      }
      w.endArray()
    }
    w.endObject()
    return w
  }

  /// The rows of a blast radius written straight from the graph's interned ids: the
  /// bytes ``Row/write(into:)`` writes for the rows ``rows(_:model:)`` makes, with no
  /// `String` per id.
  ///
  /// - Parameters:
  ///   - r: The blast radius.
  ///   - model: The model it was computed on.
  ///   - w: The writer, inside the `affected` array.
  ///   - chunks: How many chunks to write the rows in (tests); as many as pay when nil.
  static func writeRows(_ r: ImpactResult, model: LineageModel, into w: inout JSONWriter, chunks: Int? = nil) {
    let names = NameTables(model.graph, quoted: true)
    ChunkedRows.write(count: r.count, chunks: chunks, bytesPerRow: 320, into: &w) { range, separator, out in
      writeRows(r, model: model, names: names, range, separator: separator, into: &out)
    }
  }

  /// Appends the rows of `range` to `out`, `separator` between two.
  static func writeRows(
    _ r: ImpactResult, model: LineageModel, names: NameTables, _ range: Range<Int>, separator: [UInt8],
    into out: inout [UInt8]
  ) {
    let g = model.graph
    let kinds = names.kinds, domains = names.domains, owners = names.owners
    // The keys, the verdict and the longest names; a string adds six bytes a byte at
    // most, and a separator and two quotes.
    let fixed = 128 + kinds.longest + domains.longest + owners.longest
    // The row's scratch is a buffer of its own, not an array: an array captured by the
    // loop is retained for every row.
    var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
    defer { scratch.deallocate() }
    /// Calls `body` with the UTF-8 of `s`, in place when it is stored contiguously.
    func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
      if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
      var s = s
      return s.withUTF8(body)
    }
    // Each row laid out with plain stores in a scratch buffer sized for it, then
    // appended in one piece; the rows and the graph's arrays are read in place (no copy
    // of a row's arrays and strings, so no reference counting per row).
    let gone = Array(r.gone.utf8)
    kinds.withBytes { kinds in
      domains.withBytes { domains in
        owners.withBytes { owners in
          g.kind.withUnsafeBufferPointer { kind in
            g.domain.withUnsafeBufferPointer { domain in
              g.owner.withUnsafeBufferPointer { owner in
                g.ids.withRecords { ids in
                  r.withRowBuffers { rows in
                    gone.withUnsafeBufferPointer { gone in
                      separator.withUnsafeBufferPointer { separator in
                        // Rows in id order read scattered places: each path node's id
                        // and each node's kind, domain and owner; they are asked for
                        // ahead (see PathReadAhead).
                        var ahead = PathReadAhead(rows: rows, ids: ids, order: nil, positions: range)
                        defer { ahead.deallocate() }
                        for i in range {
                          ahead.advance(i)
                          if i + PathReadAhead.walked < range.upperBound {
                            let v = Int(rows.nodes[i + PathReadAhead.walked])
                            kind.prefetch(at: v)
                            domain.prefetch(at: v)
                            owner.prefetch(at: v)
                          }
                          let node = rows.nodes[i], v = Int(node), d = domain[v], o = owner[v]
                          let reason = rows.reason(i)
                          let path = ahead.path(i)
                          let steps = path.count
                          var bound = fixed + separator.count + 6 * ids[node].count
                          switch reason {
                          case .text(let t): bound += 6 * t.utf8.count
                          case .readsColumnsUnknown(let p), .readsUndeclaredColumns(let p), .readsGone(let p):
                            bound += 64 + 6 * (ids[p].count + gone.count)
                          }
                          let columns = rows.hasColumns(i) ? r.columns(at: i) : []
                          for c in columns { bound += 3 + 6 * c.utf8.count }
                          for k in 0..<steps { bound += 3 + 6 * ids[path[k]].count }
                          if scratch.count < bound {
                            scratch.deallocate()
                            scratch = .allocate(capacity: bound)
                          }
                          var row = RowWriter(scratch)
                          if i > range.lowerBound { row.put(separator) }
                          row.put(#"{"id":"#)
                          row.putJSONString(ids[node])
                          row.put(#","kind":"#)
                          row.put(kinds[Int(kind[v])])
                          row.put(
                            rows.verdicts[i] == .breaks ? #","verdict":"breaks""# : #","verdict":"may-break""#)
                          row.put(#","columns":["#)
                          var first = true
                          for c in columns {
                            if !first { row.put(UInt8(ascii: ",")) }
                            first = false
                            withUTF8(c) { row.putJSONString($0) }
                          }
                          row.put(#"],"domain":"#)
                          if d < 0 { row.put("null") } else { row.put(domains[Int(d)]) }
                          row.put(#","owner":"#)
                          if o < 0 { row.put("null") } else { row.put(owners[Int(o)]) }
                          row.put(#","path":["#)
                          for k in 0..<steps {
                            if k > 0 { row.put(UInt8(ascii: ",")) }
                            row.putJSONString(ids[path[k]])
                          }
                          row.put(#"],"reason":"#)
                          switch reason {
                          case .text(let t): withUTF8(t) { row.putJSONString($0) }
                          case .readsColumnsUnknown(let p), .readsUndeclaredColumns(let p), .readsGone(let p):
                            // The words around the id need no escape.
                            let after = reason.afterNode
                            row.put(UInt8(ascii: "\""))
                            row.put(ImpactResult.Reason.beforeNode)
                            row.putJSONStringBody(ids[p])
                            row.put(after.words)
                            if after.gone { row.putJSONStringBody(gone) }
                            row.put(UInt8(ascii: "\""))
                          }
                          row.put(UInt8(ascii: "}"))
                          out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<row.count]))
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The blast radius as aligned text.
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The text.
  public func text(style: TextStyle) -> String { String(decoding: textBytes(style: style), as: UTF8.self) }

  /// The bytes of ``text(style:)``.
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The UTF-8 of the text.
  public func textBytes(style: TextStyle) -> [UInt8] { textOutput(style: style).bytes }

  /// The bytes of ``text(style:)`` as an output to write: when every string is
  /// printable ASCII, the rows of a blast radius are laid out from it as they are
  /// written, on every core (no `String` of the whole text).
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The output.
  public func textOutput(style: TextStyle) -> ReportBytes {
    var head = "\(change) \(terminalSafe(target))"
    if let typeChange { head += " (\(typeChange))" }
    var out = partial.text(style: style) + style.bold(head) + ": "
    if rowCount == 0 { return ReportBytes(Array((out + style.green("nothing downstream is affected") + "\n").utf8)) }
    out += style.red("\(breaks) break") + ", " + style.yellow("\(mayBreak) may break")
    out += " in \(byDomain.count) domain\(byDomain.count == 1 ? "" : "s")\n"
    let groups: [(String, Verdict, (String) -> String)] = [
      ("breaks", .breaks, style.red), ("may break", .mayBreak, style.yellow),
    ]
    if case .result(let r, let model) = storage, let tables = Self.plainTextParts(r, model: model, style: style) {
      var parts: [ReportBytes.Part] = [.bytes(Array(out.utf8))]
      for (k, (title, _, color)) in groups.enumerated() where !tables[k].isEmpty {
        parts.append(.bytes(Array(("\n" + color(style.bold(title)) + "\n").utf8)))
        parts += tables[k]
      }
      parts.append(.bytes(Array(footer(style: style).utf8)))
      return ReportBytes(parts)
    }
    let rows = self.rows  // made once, when the report holds a blast radius
    for (title, verdict, color) in groups {
      let group = rows.filter { $0.verdict == verdict }
      if group.isEmpty { continue }
      out += "\n" + color(style.bold(title)) + "\n"
      out += table(
        group.map { r in
          [
            terminalSafe(r.id), terminalSafe(r.kind), terminalSafe(r.owner ?? "-"),
            r.columns.isEmpty ? "-" : terminalSafe(r.columns.joined(separator: ", ")), terminalSafe(r.reason),
          ]
        }, styles: [1: style.cyan, 4: style.dim])
      for r in group where r.path.count > 2 {
        out +=
          style.dim("    path to \(terminalSafe(r.id)): " + r.path.map(terminalSafe).joined(separator: " -> ")) + "\n"
      }
    }
    return ReportBytes(Array((out + footer(style: style)).utf8))
  }

  /// The text after the rows: counts by domain and the teams to notify.
  func footer(style: TextStyle) -> String {
    var out = "\n" + style.bold("by domain") + "\n"
    out += table(
      byDomain.map {
        [$0.domain.isEmpty ? "(no domain)" : terminalSafe($0.domain), "\($0.breaks) break", "\($0.mayBreak) may break"]
      })
    out += "\n" + style.bold("teams to notify") + "\n"
    out += table(
      teams.map { t in
        [
          terminalSafe(t.id), terminalSafe(t.contact ?? "-"), "\(t.breaks) break, \(t.mayBreak) may break",
          t.changing ? "(the changing team)" : "",
        ]
      })
    return out
  }

  /// The "breaks" and "may break" groups of ``text(style:)``, each its table's lines
  /// then its paths' lines, laid out from the blast radius as they are written; nil
  /// when a string is not printable ASCII (the rows' general layout is then needed).
  /// Every id on a path is a graph node's, so the graph's ids being printable is
  /// enough for the paths.
  static func plainTextParts(_ r: ImpactResult, model: LineageModel, style: TextStyle) -> [[ReportBytes.Part]]? {
    let g = model.graph
    guard g.kindNames.isPrintableASCII, g.ownerNames.isPrintableASCII, NodeTable.isPlain(r.gone),
      g.ids.isPrintableASCII
    else { return nil }
    // The rows of each group, its column widths (id, kind, owner, columns), and every
    // worded reason and column name checked.
    var groups: [[Int32]] = [[], []]
    var widths = [[Int]](repeating: [0, 0, 0, 0], count: 2)
    let names = NameTables(g, quoted: false)
    let fits = g.ids.withRecords { ids -> Bool in
      r.withRowBuffers { rows in
        g.kind.withUnsafeBufferPointer { kind in
          g.owner.withUnsafeBufferPointer { owner in
            // The widths are kept in a local array while the rows are read.
            var w = [[Int]](repeating: [0, 0, 0, 0], count: 2)
            for i in 0..<r.count {
              let node = rows.nodes[i], v = Int(node), k = rows.verdicts[i] == .breaks ? 0 : 1
              groups[k].append(Int32(i))
              var columnsWidth = 1
              if case .text(let t) = rows.reason(i), !NodeTable.isPlain(t) { return false }
              if rows.hasColumns(i) {
                let columns = r.columns(at: i)
                columnsWidth = 2 * (columns.count - 1)
                for c in columns {
                  guard NodeTable.isPlain(c) else { return false }
                  columnsWidth += c.utf8.count
                }
              }
              let o = owner[v]
              w[k][0] = max(w[k][0], ids.span(node).count)
              w[k][1] = max(w[k][1], names.kinds.count(Int(kind[v])))
              w[k][2] = max(w[k][2], o < 0 ? 1 : names.owners.count(Int(o)))
              w[k][3] = max(w[k][3], columnsWidth)
            }
            widths = w
            return true
          }
        }
      }
    }
    guard fits else { return nil }
    let dim = style.codes("2"), cyan = style.codes("36")
    return (0..<2).map { k -> [ReportBytes.Part] in
      let rows = groups[k]
      guard !rows.isEmpty else { return [] }
      let w = widths[k]
      let table = ChunkedRows(count: rows.count, bytesPerRow: 96, separator: [], chunks: nil) { range, _, out in
        writeTextRows(r, model: model, names: names, rows: rows, range, widths: w, dim: dim, cyan: cyan, into: &out)
      }
      let paths = ChunkedRows(count: rows.count, bytesPerRow: 192, separator: [], chunks: nil) { range, _, out in
        writeTextPaths(r, model: model, rows: rows, range, dim: dim, into: &out)
      }
      return [.rows(table), .rows(paths)]
    }
  }

  /// Appends the table lines of `rows[range]` (rows of one group), aligned to `widths`;
  /// every string is printable ASCII (``plainTextParts(_:model:style:)`` checked).
  static func writeTextRows(
    _ r: ImpactResult, model: LineageModel, names: NameTables, rows: [Int32], _ range: Range<Int>, widths w: [Int],
    dim: (open: [UInt8], close: [UInt8]), cyan: (open: [UInt8], close: [UInt8]), into out: inout [UInt8]
  ) {
    let g = model.graph
    let kinds = names.kinds, owners = names.owners
    let gone = Array(r.gone.utf8)
    // Everything but the reason and the columns, padded.
    let fixed = 16 + w[0] + w[1] + w[2] + w[3] + cyan.open.count + cyan.close.count + dim.open.count + dim.close.count
    var scratch = [UInt8](repeating: 0, count: 4096)
    kinds.withBytes { kinds in
      owners.withBytes { owners in
        g.kind.withUnsafeBufferPointer { kind in
          g.owner.withUnsafeBufferPointer { owner in
            g.ids.withRecords { ids in
              r.withRowBuffers { buffers in
                for j in range {
                  let i = Int(rows[j]), node = buffers.nodes[i], v = Int(node)
                  let reason = buffers.reason(i)
                  let columns = buffers.hasColumns(i) ? r.columns(at: i) : []
                  var bound = fixed + 64 + gone.count
                  switch reason {
                  case .text(let t): bound += t.utf8.count
                  case .readsColumnsUnknown(let p), .readsUndeclaredColumns(let p), .readsGone(let p):
                    bound += ids[p].count
                  }
                  for c in columns { bound += 2 + c.utf8.count }
                  if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
                  let count = scratch.withUnsafeMutableBufferPointer { scratch in
                    var row = RowWriter(scratch)
                    let id = ids[node]
                    row.pad(2)
                    row.put(id)
                    row.pad(w[0] - id.count + 2)
                    let kind = kinds[Int(kind[v])]
                    cyan.open.withUnsafeBufferPointer { row.put($0) }
                    row.put(kind)
                    cyan.close.withUnsafeBufferPointer { row.put($0) }
                    row.pad(w[1] - kind.count + 2)
                    let o = owner[v]
                    if o < 0 {
                      row.put(UInt8(ascii: "-"))
                      row.pad(w[2] - 1 + 2)
                    } else {
                      let owner = owners[Int(o)]
                      row.put(owner)
                      row.pad(w[2] - owner.count + 2)
                    }
                    var columnsWidth = 1
                    if columns.isEmpty {
                      row.put(UInt8(ascii: "-"))
                    } else {
                      columnsWidth = 0
                      for (n, c) in columns.enumerated() {
                        if n > 0 { row.put(", ") }
                        var c = c
                        c.withUTF8 { row.put($0) }
                        columnsWidth += (n > 0 ? 2 : 0) + c.utf8.count
                      }
                    }
                    let empty: Bool
                    if case .text(let t) = reason { empty = t.isEmpty } else { empty = false }
                    if empty {
                      row.trimTrailingSpaces()
                    } else {
                      row.pad(w[3] - columnsWidth + 2)
                      dim.open.withUnsafeBufferPointer { row.put($0) }
                      switch reason {
                      case .text(var t): t.withUTF8 { row.put($0) }
                      case .readsColumnsUnknown(let p), .readsUndeclaredColumns(let p), .readsGone(let p):
                        let after = reason.afterNode
                        row.put(ImpactResult.Reason.beforeNode)
                        row.put(ids[p])
                        row.put(after.words)
                        if after.gone { gone.withUnsafeBufferPointer { row.put($0) } }
                      }
                      dim.close.withUnsafeBufferPointer { row.put($0) }
                      // The general layout trims every line; without colour, a reason's
                      // own trailing spaces end the line.
                      if dim.close.isEmpty { row.trimTrailingSpaces() }
                    }
                    row.put(10)
                    return row.count
                  }
                  scratch.withUnsafeBufferPointer { out.append(contentsOf: $0[0..<count]) }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Appends the path lines of `rows[range]` (rows of one group): a line for each row
  /// whose path has more than two nodes.
  static func writeTextPaths(
    _ r: ImpactResult, model: LineageModel, rows: [Int32], _ range: Range<Int>,
    dim: (open: [UInt8], close: [UInt8]), into out: inout [UInt8]
  ) {
    var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
    defer { scratch.deallocate() }
    model.graph.ids.withRecords { ids in
      r.withRowBuffers { buffers in
        rows.withUnsafeBufferPointer { order in
          dim.open.withUnsafeBufferPointer { open in
            dim.close.withUnsafeBufferPointer { close in
              var ahead = PathReadAhead(rows: buffers, ids: ids, order: order, positions: range)
              defer { ahead.deallocate() }
              for j in range {
                ahead.advance(j)
                let i = Int(order[j])
                let path = ahead.path(j)
                guard path.count > 2 else { continue }
                let id = ids[buffers.nodes[i]]
                var bound = 32 + open.count + close.count + id.count
                for p in path { bound += 4 + ids[p].count }
                if scratch.count < bound {
                  scratch.deallocate()
                  scratch = .allocate(capacity: bound)
                }
                var row = RowWriter(scratch)
                row.put(open)
                row.put("    path to ")
                row.put(id)
                row.put(": ")
                for (k, p) in path.enumerated() {
                  if k > 0 { row.put(" -> ") }
                  row.put(ids[p])
                }
                row.put(close)
                row.put(10)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<row.count]))
              }
            }
          }
        }
      }
    }
  }
}

/// The paths of the rows a writer is about to write, walked ahead of it: rows in id
/// order read scattered places (each path's steps, each path node's id: its place in
/// the id table, then its bytes), and a writer that reads them as it writes waits for
/// memory at every one. Before position `j` is written (``advance(_:)``), the last
/// steps of the paths ``ends`` positions ahead are asked for (a prefetch hint), the
/// paths ``walked`` ahead are walked a ``batch`` at a time into a ring (their steps
/// read side by side) and the places of their ids asked for, and the bytes of the ids
/// ``near`` ahead asked for; so the misses of many rows overlap.
struct PathReadAhead {
  /// Rows walked together.
  static let batch = 16
  /// How far ahead each part is asked for.
  static let ends = 64, walked = 32, near = 8
  /// Paths kept: more than `walked + batch`, a power of two.
  static let slots = 64
  let rows: ImpactResult.RowBuffers
  let ids: Interner.Records
  /// Each position's row; nil when positions are rows.
  let order: UnsafeBufferPointer<Int32>?
  let positions: Range<Int>
  private var capacity = 64
  private var nodes = UnsafeMutableBufferPointer<Int32>.allocate(capacity: slots * 64)
  private let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: slots)
  private let batchRows = UnsafeMutableBufferPointer<(row: Int, slot: Int)>.allocate(capacity: batch)

  /// Reads ahead of a writer of `positions`, asking for the first ones at once.
  init(
    rows: ImpactResult.RowBuffers, ids: Interner.Records, order: UnsafeBufferPointer<Int32>?, positions: Range<Int>
  ) {
    self.rows = rows
    self.ids = ids
    self.order = order
    self.positions = positions
    counts.initialize(repeating: 0)
    let low = positions.lowerBound
    for j in stride(from: low, to: low + Self.ends, by: Self.batch) { askForEnds(j) }
    for j in stride(from: low, to: low + Self.walked, by: Self.batch) { walk(j) }
    for j in low..<low + Self.near { askForBytes(j) }
  }

  /// Reads ahead of position `j`, which is written next (every position in turn).
  mutating func advance(_ j: Int) {
    if (j - positions.lowerBound) % Self.batch == 0 {
      askForEnds(j + Self.ends)
      walk(j + Self.walked)
    }
    askForBytes(j + Self.near)
  }

  /// The path of position `j`'s row, first to last; valid while `j` is being written.
  func path(_ j: Int) -> UnsafeMutableBufferPointer<Int32> {
    let s = j & (Self.slots - 1)
    return UnsafeMutableBufferPointer(rebasing: nodes[s * capacity..<s * capacity + counts[s]])
  }

  func deallocate() {
    nodes.deallocate()
    counts.deallocate()
    batchRows.deallocate()
  }

  /// The rows of positions `j ..< j + batch` (as far as there are) with their slots.
  private func batch(at j: Int) -> UnsafeBufferPointer<(row: Int, slot: Int)> {
    let n = max(0, min(Self.batch, positions.upperBound - j))
    for b in 0..<n { batchRows[b] = (order.map { Int($0[j + b]) } ?? j + b, (j + b) & (Self.slots - 1)) }
    return UnsafeBufferPointer(rebasing: batchRows[0..<n])
  }

  private func askForEnds(_ j: Int) {
    if j < positions.upperBound { rows.prefetchPathEnds(batch(at: j)) }
  }

  private mutating func walk(_ j: Int) {
    guard j < positions.upperBound else { return }
    let batch = batch(at: j)
    var longest = 0
    for r in batch { longest = max(longest, rows.pathLength(r.row)) }
    if longest > capacity {
      // Wider slots; the paths walked already move with them.
      let wider = max(longest, 2 * capacity)
      let more = UnsafeMutableBufferPointer<Int32>.allocate(capacity: Self.slots * wider)
      for s in 0..<Self.slots where counts[s] > 0 {
        _ = UnsafeMutableBufferPointer(rebasing: more[s * wider..<s * wider + counts[s]])
          .initialize(from: nodes[s * capacity..<s * capacity + counts[s]])
      }
      nodes.deallocate()
      nodes = more
      capacity = wider
    }
    rows.walkPaths(batch, into: nodes, capacity: capacity, counts: counts)
    for b in 0..<batch.count {
      for p in path(j + b) { ids.prefetchSpan(p) }
    }
  }

  private func askForBytes(_ j: Int) {
    guard j < positions.upperBound else { return }
    for p in path(j) { ids.prefetchBytes(p) }
  }
}
