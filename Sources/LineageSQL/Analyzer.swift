import LineageCore

/// A source during analysis: an interned (table, column) and how it flows.
struct Src: Sendable {
  var id: Int32
  var transform: Transform
  var masked: Bool
}

/// One column of a relation: a name and its sources, or an unexpanded-star marker.
struct RelColumn: Sendable {
  var name: String
  var key: String
  var sources: [Src]
  /// Non-nil for the marker of a `*` over tables whose columns are unknown: those
  /// tables' ids (empty for table functions, whose `sources` then stand for any column).
  var starOrigins: [Int32]?
  /// True when `name` is the exact stored spelling (quoted, or from the schema);
  /// false when the database stores it folded.
  var quoted = false
}

/// The result of a query: ordered columns and the indirect sources that steer all rows.
struct Relation: Sendable {
  var columns: [RelColumn] = []
  /// Column key to index, kept only for wide relations (small ones are scanned).
  var index: [String: Int32] = [:]
  var indirect: [Src] = []

  static let indexThreshold = 24

  mutating func buildIndex() {
    index.removeAll(keepingCapacity: true)
    guard columns.count > Relation.indexThreshold else { return }
    for (i, c) in columns.enumerated() where c.starOrigins == nil && index[c.key] == nil { index[c.key] = Int32(i) }
  }

  /// The first named column with key `k`.
  func find(_ k: String) -> Int? {
    if columns.count > Relation.indexThreshold {
      if !index.isEmpty { return index[k].map(Int.init) }
    }
    for (i, c) in columns.enumerated() where c.starOrigins == nil && c.key == k { return i }
    return nil
  }

  var hasMarkers: Bool { columns.contains { $0.starOrigins != nil } }
}

/// One FROM item in a scope.
final class Item {
  /// The alias, or the CTE or table's last name part (lower-cased).
  @exclusivity(unchecked) var aliasKey: String
  @exclusivity(unchecked) var hasExplicitAlias: Bool
  /// Lower-cased name parts as written, for `schema.table.column` qualifiers.
  @exclusivity(unchecked) var nameParts: [String]
  @exclusivity(unchecked) var display: String
  /// The physical table, or -1.
  @exclusivity(unchecked) var table: Int32 = -1
  /// Known columns (schema table, CTE, derived table, FLATTEN, UNNEST).
  @exclusivity(unchecked) var rel: Relation?
  /// Table functions and PIVOT: any column not in `rel` comes from these.
  @exclusivity(unchecked) var fallback: [Src]?
  /// Columns merged by USING or NATURAL (hidden from an unqualified `*`).
  @exclusivity(unchecked) var hidden: Set<String> = []
  /// A recursive CTE's reference to itself.
  @exclusivity(unchecked) var selfRef = false
  /// Interned sources of unquoted column names of an unknown table, by key.
  @exclusivity(unchecked) var memo: [String: Int32] = [:]

  init(
    aliasKey: String, hasExplicitAlias: Bool, nameParts: [String], display: String, rel: Relation? = nil,
    selfRef: Bool = false
  ) {
    self.aliasKey = aliasKey
    self.hasExplicitAlias = hasExplicitAlias
    self.nameParts = nameParts
    self.display = display
    self.rel = rel
    self.selfRef = selfRef
  }

  /// True when the item may hold columns beyond `rel`'s named ones.
  var isOpen: Bool {
    if selfRef || fallback != nil { return true }
    guard let rel else { return table >= 0 }
    return rel.hasMarkers
  }
}

enum AliasMode { case none, after, first }

/// The names visible to one SELECT.
final class Scope {
  let parent: Scope?
  @exclusivity(unchecked) private(set) var items: [Item] = []
  /// Item indices by alias key (or last name part).
  @exclusivity(unchecked) private(set) var byAlias: [String: [Int32]] = [:]
  /// Item indices by the key of a column they are known to have.
  @exclusivity(unchecked) private(set) var byColumn: [String: [Int32]] = [:]
  /// Items whose columns are not all known.
  @exclusivity(unchecked) private(set) var open: [Int32] = []
  @exclusivity(unchecked) var coalesced: [String: [Src]] = [:]
  @exclusivity(unchecked) var coalescedOrder: [(key: String, name: String)] = []
  /// SELECT-list aliases: key, the spelling the database stores (quoted as written, else
  /// folded) for case-sensitive quoted references, and sources.
  @exclusivity(unchecked) var aliases: [(key: String, spelling: String, sources: [Src])] = []
  @exclusivity(unchecked) var aliasMode: AliasMode = .none
  @exclusivity(unchecked) var lambdaParams: [String] = []
  @exclusivity(unchecked) var windows: Int32 = -1

  init(parent: Scope?) { self.parent = parent }

  @exclusivity(unchecked) private var indexed = 0

  func add(_ item: Item) {
    let i = Int32(items.count)
    items.append(item)
    byAlias[item.aliasKey, default: []].append(i)
    if item.isOpen { open.append(i) }
  }

  /// True when some item of this scope is known to have a column with key `k`.
  func hasKnownColumn(_ k: String) -> Bool { !itemsWithColumn(k).isEmpty }

  /// The items known to have a column with key `k`: a scan for a few items, an index
  /// (extended as items are added) for many.
  func itemsWithColumn(_ k: String) -> [Int32] {
    if items.count <= 8 {
      var out: [Int32] = []
      for (i, item) in items.enumerated() where !item.selfRef {
        if let r = item.rel, r.find(k) != nil { out.append(Int32(i)) }
      }
      return out
    }
    while indexed < items.count {
      let item = items[indexed]
      if let rel = item.rel, !item.selfRef {
        var seen = Set<String>()
        for c in rel.columns where c.starOrigins == nil && seen.insert(c.key).inserted {
          byColumn[c.key, default: []].append(Int32(indexed))
        }
      }
      indexed += 1
    }
    return byColumn[k] ?? []
  }
}

/// The outcome of looking a name up in one item.
enum ItemLookup {
  case certain([Src])
  case maybe([Src])
  case absent
  case ambiguous
}

struct SrcKey: Hashable {
  var table: Int32
  var column: String
}

/// Column lineage over the parsed AST. Expressions are walked with an explicit stack;
/// recursion happens only per nested query or FROM item, which the parser bounds.
struct Analyzer {
  let nodes: [Node]
  let lists: [Int32]
  let selects: [SelectCore]
  let tokens: [Token]
  let bytes: UnsafeBufferPointer<UInt8>
  let dialect: SQLDialect
  /// The caller's schema, extended with the tables that earlier statements of the same
  /// text create or insert into (`learn`).
  var schema: SQLSchema

  var diagnostics: [SQLDiagnostic] = []
  private var diagSeen: Set<String> = []

  private var tableIds: [[String]: Int32] = [:]
  private var tableParts: [[String]] = []
  private var srcIds: [SrcKey: Int32] = [:]
  private var srcTable: [Int32] = []
  private var srcColumn: [String] = []
  private var schemaRels: [Int32: Relation] = [:]
  private var schemaTableOf: [Int32: Int32] = [:]

  var stack = StackGuard()
  private var framePool: [[Frame]] = []
  private var ctes: [(key: String, rel: Relation, selfRef: Bool)] = []
  private var reads: Set<Int32> = []

  init(parser: Parser, schema: SQLSchema) {
    nodes = parser.nodes
    lists = parser.lists
    selects = parser.selects
    tokens = parser.tokens
    bytes = parser.bytes
    dialect = parser.dialect
    self.schema = schema
  }

  // MARK: Text

  mutating func list(_ n: Node) -> ArraySlice<Int32> {
    lists[Int(n.listStart)..<Int(n.listStart + n.listCount)]
  }

  mutating func listOf(_ index: Int32) -> ArraySlice<Int32> {
    index < 0 ? [] : list(nodes[Int(index)])
  }

  mutating func rawText(_ tok: Token) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.end)]), as: UTF8.self)
  }

  /// An identifier's text (quotes removed, doubled quotes collapsed) and whether it was quoted.
  mutating func ident(_ index: Int32) -> (text: String, quoted: Bool) {
    let tok = tokens[Int(index)]
    switch tok.kind {
    case .quotedIdent:
      return (unquote(tok, skipPrefix: 0), true)
    case .string:
      var k = Int(tok.start)
      while k < Int(tok.end) && bytes[k] != 0x27 && bytes[k] != 0x22 && bytes[k] != 0x24 { k += 1 }
      return (unquote(tok, skipPrefix: k - Int(tok.start)), true)
    default:
      return (rawText(tok), false)
    }
  }

  private mutating func unquote(_ tok: Token, skipPrefix: Int) -> String {
    let s = Int(tok.start) + skipPrefix
    let e = Int(tok.end)
    guard e - s >= 2 else { return "" }
    let q = bytes[s]
    if q == 0x24 {
      // $$...$$ or $tag$...$tag$.
      var k = s + 1
      while k < e && bytes[k] != 0x24 { k += 1 }
      let tagLen = k + 1 - s
      guard e - s >= 2 * tagLen else { return "" }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[s + tagLen..<e - tagLen]), as: UTF8.self)
    }
    var out: [UInt8] = []
    out.reserveCapacity(e - s - 2)
    var k = s + 1
    while k < e - 1 {
      let c = bytes[k]
      if c == q && k + 1 < e - 1 && bytes[k + 1] == q { out.append(q); k += 2; continue }
      out.append(c)
      k += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  mutating func key(_ text: String) -> String { asciiLowercased(text) }

  /// The lower-cased text of an identifier token, built in one pass from the bytes.
  mutating func identKey(_ index: Int32) -> String {
    let tok = tokens[Int(index)]
    guard tok.kind == .ident else { return asciiLowercased(ident(index).text) }
    let start = Int(tok.start)
    let count = Int(tok.end - tok.start)
    return String(unsafeUninitializedCapacity: count) { out in
      for i in 0..<count {
        let c = bytes[start + i]
        out[i] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
      }
      return count
    }
  }

  mutating func normalized(_ part: (text: String, quoted: Bool)) -> String {
    part.quoted ? part.text : dialect.fold(part.text)
  }

  // MARK: Interning

  mutating func tableId(_ parts: [String]) -> Int32 {
    if let id = tableIds[parts] { return id }
    let id = Int32(tableParts.count)
    tableParts.append(parts)
    tableIds[parts] = id
    return id
  }

  mutating func srcId(_ table: Int32, _ column: String) -> Int32 {
    let k = SrcKey(table: table, column: column)
    if let id = srcIds[k] { return id }
    let id = Int32(srcTable.count)
    srcTable.append(table)
    srcColumn.append(column)
    srcIds[k] = id
    return id
  }

  // MARK: Diagnostics

  mutating func diag(_ rule: String, _ message: String, at tokIndex: Int32, hint: String) {
    let tok = tokens[Int(max(0, min(tokIndex, Int32(tokens.count - 1))))]
    let k = "\(rule)|\(message)|\(tok.line)"
    if diagSeen.contains(k) { return }
    diagSeen.insert(k)
    diagnostics.append(
      SQLDiagnostic(
        rule: rule, severity: rule == "sql-parse" ? .error : .warning, message: message,
        line: Int(tok.line), column: Int(tok.column), hint: hint))
  }

  // MARK: Transforms

  static func combine(_ outer: Transform, _ inner: Transform) -> Transform {
    if outer.isIndirect { return outer }
    if inner.isIndirect { return inner }
    return directRank(outer) >= directRank(inner) ? outer : inner
  }

  static func directRank(_ t: Transform) -> Int {
    switch t {
    case .identity: 0
    case .transformation: 1
    default: 2
    }
  }

  static func indirectOr(_ ctx: Transform, _ t: Transform) -> Transform {
    ctx.isIndirect ? ctx : t
  }

  /// Sorts by (id, transform) and merges duplicates; masked only if masked on every path.
  static func normalize(_ s: [Src]) -> [Src] {
    if s.count <= 1 { return s }
    let sorted = s.sorted { a, b in
      a.id != b.id ? a.id < b.id : transformRank(a.transform) < transformRank(b.transform)
    }
    var out: [Src] = []
    out.reserveCapacity(sorted.count)
    for x in sorted {
      if let last = out.last, last.id == x.id, last.transform == x.transform {
        out[out.count - 1].masked = last.masked && x.masked
      } else {
        out.append(x)
      }
    }
    return out
  }

  // MARK: Statements

  mutating func analyzeStatement(_ s: Int32) -> StatementLineage {
    let n = nodes[Int(s)]
    reads.removeAll(keepingCapacity: true)
    ctes.removeAll(keepingCapacity: true)
    let kind = StatementKindRaw(rawValue: n.flags) ?? .select
    var rel = Relation()
    var target: [String]?
    switch kind {
    case .select:
      rel = analyzeQuery(n.b, parent: nil)
    case .createTable, .createView:
      rel = analyzeQuery(n.b, parent: nil)
      target = targetName(n.a)
      rename(&rel, with: listOf(n.c))
    case .insert:
      rel = analyzeQuery(n.b, parent: nil)
      target = targetName(n.a)
      if n.c >= 0 {
        rename(&rel, with: listOf(n.c))
      } else if let idx = schema.lookupIndex(writtenParts(n.a)) {
        let cols = schema.allTables[Int(idx)].columns
        for i in rel.columns.indices where i < cols.count && rel.columns[i].starOrigins == nil {
          rel.columns[i].name = cols[i].name
          rel.columns[i].key = key(cols[i].name)
        }
      }
    case .merge:
      target = targetName(n.a)
      rel = analyzeMerge(n)
    case .update:
      target = targetName(n.a)
      rel = analyzeUpdate(n)
    }
    if let target, kind == .createTable || kind == .createView || kind == .insert {
      learn(target, rel, replace: kind != .insert || schema.lookupIndex(writtenParts(n.a)) == nil)
    }
    let first = tokens[Int(n.tok)]
    let columns = rel.columns.map { c -> OutputColumn in
      OutputColumn(
        name: c.starOrigins != nil ? c.name : c.name, sources: publicSources(c.sources),
        isUnexpandedStar: c.starOrigins != nil)
    }
    let readList = reads.map { tableParts[Int($0)] }.sorted { a, b in
      a.joined(separator: ".").utf8.lexicographicallyPrecedes(b.joined(separator: ".").utf8)
    }
    let publicKind: SQLStatementKind
    switch kind {
    case .select: publicKind = .select
    case .createTable: publicKind = .createTable
    case .createView: publicKind = .createView
    case .insert: publicKind = .insert
    case .merge: publicKind = .merge
    case .update: publicKind = .update
    }
    return StatementLineage(
      kind: publicKind, target: target, line: Int(first.line), column: Int(first.column),
      reads: readList, columns: columns, indirect: publicSources(rel.indirect))
  }

  /// Adds a created (or inserted-into, unknown) table with the statement's output columns
  /// to the working schema, so that later statements of the same text expand `*` over it
  /// and resolve its columns. Nothing is learnt when a column is an unexpanded star.
  mutating func learn(_ target: [String], _ rel: Relation, replace: Bool) {
    guard replace, !target.isEmpty, !rel.columns.isEmpty, !rel.hasMarkers else { return }
    schema.addTable(
      target, columns: rel.columns.map { SQLSchema.Column(name: $0.quoted ? $0.name : dialect.fold($0.name)) })
    if let idx = schema.lookupIndex(target) {
      schemaRels[idx] = nil
      schemaTableOf[idx] = nil
    }
  }

  mutating func publicSources(_ s: [Src]) -> [ColumnSource] {
    let merged = Analyzer.normalize(s)
    var out = merged.map { x in
      ColumnSource(
        table: tableParts[Int(srcTable[Int(x.id)])], column: srcColumn[Int(x.id)], transform: x.transform,
        masking: x.masked)
    }
    out.sort()
    return out
  }

  mutating func writtenParts(_ tableRef: Int32) -> [String] {
    guard tableRef >= 0 else { return [] }
    let n = nodes[Int(tableRef)]
    var parts: [String] = []
    for t in list(n) {
      let id = ident(t)
      if (tokens[Int(t)].kind == .string || (dialect == .bigquery && tokens[Int(t)].kind == .quotedIdent))
        && !id.text.isEmpty
      {
        parts.append(contentsOf: id.text.split(separator: ".").map { String($0) })
      } else {
        parts.append(id.text)
      }
    }
    return parts
  }

  mutating func normalizedParts(_ tableRef: Int32) -> [String] {
    guard tableRef >= 0 else { return [] }
    let n = nodes[Int(tableRef)]
    var parts: [String] = []
    for t in list(n) {
      let id = ident(t)
      if tokens[Int(t)].kind == .string {
        if n.flags & 1 != 0 {
          parts.append(id.text)
        } else {
          parts.append(contentsOf: id.text.split(separator: ".").map { dialect.fold(String($0)) })
        }
      } else if dialect == .bigquery && tokens[Int(t)].kind == .quotedIdent {
        parts.append(contentsOf: id.text.split(separator: ".").map { dialect.fold(String($0)) })
      } else if tokens[Int(t)].kind == .param {
        parts.append(rawText(tokens[Int(t)]))
      } else {
        parts.append(normalized(id))
      }
    }
    return parts
  }

  mutating func targetName(_ tableRef: Int32) -> [String] {
    if let idx = schema.lookupIndex(writtenParts(tableRef)) { return schema.allTables[Int(idx)].parts }
    return normalizedParts(tableRef)
  }

  mutating func rename(_ rel: inout Relation, with names: ArraySlice<Int32>) {
    guard !names.isEmpty else { return }
    var i = 0
    for t in names {
      while i < rel.columns.count && rel.columns[i].starOrigins != nil { i += 1 }
      guard i < rel.columns.count else { break }
      let id = ident(t)
      rel.columns[i].name = id.text
      rel.columns[i].key = key(id.text)
      rel.columns[i].quoted = id.quoted
      i += 1
    }
    rel.buildIndex()
  }

  // MARK: Queries

  mutating func analyzeQuery(_ q: Int32, parent: Scope?) -> Relation {
    let n = nodes[Int(q)]
    if stack.exhausted {
      diag(
        "sql-unsupported", "queries nested too deeply to analyse; the inner ones are left out", at: n.tok,
        hint: "split the statement into CTEs")
      return Relation()
    }
    if n.kind != .query { return analyzeBody(q, parent: parent).0 }
    let mark = ctes.count
    if n.a >= 0 {
      for c in listOf(n.a) {
        let cte = nodes[Int(c)]
        let name = identKey(cte.tok)
        let recursive = n.flags & 1 != 0
        if recursive { ctes.append((key: name, rel: Relation(), selfRef: true)) }
        var rel = analyzeQuery(cte.a, parent: parent)
        rename(&rel, with: listOf(cte.b))
        rel.buildIndex()
        if recursive {
          ctes[ctes.count - 1] = (key: name, rel: rel, selfRef: false)
        } else {
          ctes.append((key: name, rel: rel, selfRef: false))
        }
      }
    }
    var (rel, scope) = analyzeBody(n.b, parent: parent)
    if n.c >= 0 {
      var srcs: [Src] = []
      for item in listOf(n.c) {
        let e = nodes[Int(item)].a
        if let ordinal = ordinalValue(e), ordinal >= 1, ordinal <= rel.columns.count {
          for s in rel.columns[ordinal - 1].sources { srcs.append(Src(id: s.id, transform: .sort, masked: s.masked)) }
          continue
        }
        if let scope {
          scope.aliasMode = .first
          collect(e, scope, .sort, &srcs)
        } else if let named = outputColumn(rel, e) {
          for s in named.sources { srcs.append(Src(id: s.id, transform: .sort, masked: s.masked)) }
        } else {
          collect(e, Scope(parent: parent), .sort, &srcs)
        }
      }
      rel.indirect.append(contentsOf: srcs)
    }
    ctes.removeSubrange(mark...)
    rel.indirect = Analyzer.normalize(rel.indirect)
    rel.buildIndex()
    return rel
  }

  mutating func outputColumn(_ rel: Relation, _ e: Int32) -> RelColumn? {
    let n = nodes[Int(e)]
    guard n.kind == .column, n.listCount == 1 else { return nil }
    let name = ident(lists[Int(n.listStart)])
    guard let i = findColumn(rel, identKey(lists[Int(n.listStart)]), exact: strictSpelling(name.text, name.quoted))
    else { return nil }
    return rel.columns[Int(i)]
  }

  mutating func ordinalValue(_ e: Int32) -> Int? {
    let n = nodes[Int(e)]
    guard n.kind == .literal, tokens[Int(n.tok)].kind == .number else { return nil }
    return Int(rawText(tokens[Int(n.tok)]))
  }

  /// A SELECT, VALUES, set operation or nested query. Set-operation chains are
  /// flattened with a loop.
  mutating func analyzeBody(_ b: Int32, parent: Scope?) -> (Relation, Scope?) {
    let n = nodes[Int(b)]
    switch n.kind {
    case .select:
      return analyzeSelect(n.a, parent: parent)
    case .values:
      var rel = Relation()
      let scope = Scope(parent: parent)
      for row in list(n) {
        let cells = listOf(row)
        for (i, cell) in cells.enumerated() {
          var s: [Src] = []
          collect(cell, scope, .identity, &s)
          if i < rel.columns.count {
            rel.columns[i].sources.append(contentsOf: s)
          } else {
            rel.columns.append(RelColumn(name: "column\(i + 1)", key: "column\(i + 1)", sources: s))
          }
        }
      }
      for i in rel.columns.indices { rel.columns[i].sources = Analyzer.normalize(rel.columns[i].sources) }
      rel.buildIndex()
      return (rel, nil)
    case .setOp:
      var branches: [Int32] = []
      // Per branch after the first: true when its operator is UNION (its values are
      // output); EXCEPT, MINUS and INTERSECT output the left side's values, and the right
      // branch's columns only decide which rows survive (`filter`).
      var unions: [Bool] = []
      var byName = false
      var cur = b
      while nodes[Int(cur)].kind == .setOp {
        let s = nodes[Int(cur)]
        branches.append(s.b)
        unions.append(tokens[Int(s.tok)].keyword == .union)
        if s.flags & SetOpFlags.byName != 0 { byName = true }
        cur = s.a
      }
      branches.append(cur)
      branches.reverse()
      unions.reverse()
      var result = Relation()
      for (k, br) in branches.enumerated() {
        let (rel, _) = analyzeBody(br, parent: parent)
        result.indirect.append(contentsOf: rel.indirect)
        if k > 0 && !unions[k - 1] {
          for c in rel.columns {
            for s in c.sources {
              result.indirect.append(
                Src(id: s.id, transform: Analyzer.indirectOr(s.transform, .filter), masked: s.masked))
            }
          }
          continue
        }
        if k == 0 {
          result.columns = rel.columns
          result.buildIndex()
          continue
        }
        if byName {
          for c in rel.columns where c.starOrigins == nil {
            if let i = result.find(c.key) {
              result.columns[i].sources.append(contentsOf: c.sources)
            } else {
              result.columns.append(c)
              result.buildIndex()
            }
          }
        } else {
          for i in 0..<min(rel.columns.count, result.columns.count) {
            result.columns[i].sources.append(contentsOf: rel.columns[i].sources)
            if let o = rel.columns[i].starOrigins {
              result.columns[i].starOrigins = (result.columns[i].starOrigins ?? []) + o
            }
          }
        }
      }
      for i in result.columns.indices { result.columns[i].sources = Analyzer.normalize(result.columns[i].sources) }
      result.buildIndex()
      return (result, nil)
    case .query:
      return (analyzeQuery(b, parent: parent), nil)
    default:
      return (Relation(), nil)
    }
  }

  mutating func analyzeSelect(_ coreIndex: Int32, parent: Scope?) -> (Relation, Scope?) {
    let core = selects[Int(coreIndex)]
    let scope = Scope(parent: parent)
    scope.windows = core.windows
    var indirect: [Src] = []
    for item in listOf(core.from) { addJoinTree(item, scope, &indirect) }
    var rel = Relation()
    scope.aliasMode = dialect.lateralColumnAliases ? .after : .none
    for it in listOf(core.items) {
      let item = nodes[Int(it)]
      let e = item.a
      if nodes[Int(e)].kind == .star {
        rel.columns.append(contentsOf: expandStar(e, scope))
        continue
      }
      var s: [Src] = []
      collect(e, scope, .identity, &s)
      s = Analyzer.normalize(s)
      let name = outputName(item)
      var column = RelColumn(name: name, key: key(name), sources: s)
      column.quoted = outputNameIsQuoted(item)
      rel.columns.append(column)
      if item.tok >= 0 {
        let alias = ident(item.tok)
        scope.aliases.append(
          (key: key(name), spelling: alias.quoted ? alias.text : dialect.fold(alias.text), sources: s))
      }
    }
    scope.aliasMode =
      (dialect == .snowflake || dialect == .duckdb || dialect == .generic || dialect == .databricks) ? .after : .none
    if core.whereExpr >= 0 { collect(core.whereExpr, scope, .filter, &indirect) }
    scope.aliasMode = .after
    for g in listOf(core.groupBy) {
      if let ordinal = ordinalValue(g), ordinal >= 1, ordinal <= rel.columns.count {
        for s in rel.columns[ordinal - 1].sources {
          indirect.append(Src(id: s.id, transform: .groupBy, masked: s.masked))
        }
      } else {
        collect(g, scope, .groupBy, &indirect)
      }
    }
    if core.groupByAll {
      for c in rel.columns where !c.sources.contains(where: { $0.transform == .aggregation }) {
        for s in c.sources where !s.transform.isIndirect {
          indirect.append(Src(id: s.id, transform: .groupBy, masked: s.masked))
        }
      }
    }
    for d in listOf(core.distinctOn) { collect(d, scope, .groupBy, &indirect) }
    if core.having >= 0 { collect(core.having, scope, .filter, &indirect) }
    if core.qualify >= 0 { collect(core.qualify, scope, .filter, &indirect) }
    rel.indirect = indirect
    rel.buildIndex()
    return (rel, scope)
  }

  /// True when the output name is spelt exactly (a quoted alias or column, or an
  /// expression's text).
  mutating func outputNameIsQuoted(_ item: Node) -> Bool {
    if item.tok >= 0 { return ident(item.tok).quoted }
    let e = nodes[Int(item.a)]
    if e.kind == .column, e.listCount > 0 { return ident(lists[Int(e.listStart + e.listCount - 1)]).quoted }
    return true
  }

  /// For a quoted name that differs from its folded form in a dialect where quoting
  /// makes names case-sensitive (Snowflake, PostgreSQL): the exact spelling to match.
  func strictSpelling(_ text: String, _ quoted: Bool) -> String? {
    guard quoted && dialect.quotedIsCaseSensitive && text != dialect.fold(text) else { return nil }
    return text
  }

  /// The column of `r` with key `k` (and, when `exact` is set, that stored spelling).
  func findColumn(_ r: Relation, _ k: String, exact: String?) -> Int? {
    guard let exact else { return r.find(k) }
    for (i, c) in r.columns.enumerated() where c.starOrigins == nil && c.key == k {
      if (c.quoted ? c.name : dialect.fold(c.name)) == exact { return i }
    }
    return nil
  }

  /// The output name of an unaliased or aliased select item.
  mutating func outputName(_ item: Node) -> String {
    if item.tok >= 0 { return ident(item.tok).text }
    let e = nodes[Int(item.a)]
    if e.kind == .column, e.listCount > 0 { return ident(lists[Int(e.listStart + e.listCount - 1)]).text }
    if e.kind == .cast, e.tok >= 0, tokens[Int(e.tok)].kind == .doubleColon {
      let inner = nodes[Int(e.a)]
      if inner.kind == .column, inner.listCount > 0 {
        return ident(lists[Int(inner.listStart + inner.listCount - 1)]).text
      }
    }
    // The expression's SQL text, whitespace collapsed.
    guard item.c >= 0, item.d > item.c else { return "?" }
    let start = Int(tokens[Int(item.c)].start)
    let end = Int(tokens[Int(item.d - 1)].end)
    var out: [UInt8] = []
    var space = false
    for k in start..<min(end, start + 400) {
      let c = bytes[k]
      if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D {
        space = !out.isEmpty
        continue
      }
      if space { out.append(0x20); space = false }
      out.append(c)
    }
    return String(decoding: out, as: UTF8.self)
  }

  // MARK: FROM

  mutating func addJoinTree(_ root: Int32, _ scope: Scope, _ indirect: inout [Src]) {
    var spine: [Int32] = []
    var cur = root
    while nodes[Int(cur)].kind == .join {
      spine.append(cur)
      cur = nodes[Int(cur)].a
    }
    addPrimary(cur, scope, &indirect, addToReads: true)
    for j in spine.reversed() {
      let join = nodes[Int(j)]
      let leftCount = scope.items.count
      addPrimary(join.b, scope, &indirect, addToReads: true)
      let using = list(join)
      if !using.isEmpty {
        for t in using { coalesce(identKey(t), ident(t).text, scope, leftCount, &indirect, at: t) }
      } else if join.flags & JoinFlags.natural != 0 {
        var leftKeys: [String: String] = [:]
        var unknown = false
        for i in 0..<leftCount {
          guard let r = scope.items[i].rel, !r.hasMarkers else { unknown = true; continue }
          for c in r.columns { leftKeys[c.key] = c.name }
        }
        for i in leftCount..<scope.items.count {
          guard let r = scope.items[i].rel, !r.hasMarkers else { unknown = true; continue }
          for c in r.columns where leftKeys[c.key] != nil {
            coalesce(c.key, c.name, scope, leftCount, &indirect, at: Int32(-1))
          }
        }
        if unknown {
          let at = tokens.indices.contains(Int(join.tok)) ? join.tok : Int32(0)
          diag(
            "sql-unknown-schema",
            "NATURAL JOIN over a table whose columns are unknown: the joined columns are not known",
            at: at, hint: "add the tables to the schema, or join with USING (...) or ON")
        }
      }
      if join.c >= 0 { collect(join.c, scope, .join, &indirect) }
    }
  }

  /// Merges column `k` of the items before and after `split` (USING / NATURAL).
  mutating func coalesce(
    _ k: String, _ name: String, _ scope: Scope, _ split: Int, _ indirect: inout [Src], at tok: Int32
  ) {
    var srcs: [Src] = []
    for i in scope.items.indices {
      let item = scope.items[i]
      switch lookup(k, name, in: item, quoted: false) {
      case .certain(let s), .maybe(let s):
        srcs.append(contentsOf: s)
        item.hidden.insert(k)
      default: break
      }
    }
    if let existing = scope.coalesced[k] {
      srcs.append(contentsOf: existing)
    } else {
      scope.coalescedOrder.append((key: k, name: name))
    }
    scope.coalesced[k] = Analyzer.normalize(srcs)
    for s in srcs { indirect.append(Src(id: s.id, transform: .join, masked: s.masked)) }
    _ = tok
  }

  mutating func schemaRelation(_ idx: Int32) -> (Int32, Relation) {
    if let r = schemaRels[idx], let t = schemaTableOf[idx] { return (t, r) }
    let table = schema.allTables[Int(idx)]
    let tid = tableId(table.parts)
    var rel = Relation()
    rel.columns.reserveCapacity(table.columns.count)
    for c in table.columns {
      rel.columns.append(
        RelColumn(
          name: c.name, key: key(c.name), sources: [Src(id: srcId(tid, c.name), transform: .identity, masked: false)],
          quoted: true))
    }
    rel.buildIndex()
    schemaRels[idx] = rel
    schemaTableOf[idx] = tid
    return (tid, rel)
  }

  mutating func addPrimary(_ i: Int32, _ scope: Scope, _ indirect: inout [Src], addToReads: Bool) {
    let n = nodes[Int(i)]
    if stack.exhausted {
      diag(
        "sql-unsupported", "FROM items nested too deeply to analyse; the inner ones are left out", at: max(n.tok, 0),
        hint: "split the statement into CTEs")
      return
    }
    var aliasKey: String?
    var display = ""
    if n.tok >= 0 && n.kind != .join {
      let a = ident(n.tok)
      aliasKey = key(a.text)
      display = a.text
    }
    switch n.kind {
    case .tableRef:
      let written = writtenParts(i)
      let lower = written.map(asciiLowercased)
      if written.count == 1, n.flags & 1 == 0, let cte = ctes.last(where: { $0.key == lower[0] }) {
        var rel = cte.rel
        rename(&rel, with: listOf(n.d))
        indirect.append(contentsOf: rel.indirect)
        scope.add(
          Item(
            aliasKey: aliasKey ?? lower[0], hasExplicitAlias: aliasKey != nil, nameParts: lower,
            display: aliasKey != nil ? display : written[0], rel: rel, selfRef: cte.selfRef))
        return
      }
      let item = Item(
        aliasKey: aliasKey ?? (lower.last ?? ""), hasExplicitAlias: aliasKey != nil, nameParts: lower,
        display: written.joined(separator: "."))
      if n.flags & 1 == 0, let idx = schema.lookupIndex(written) {
        let (tid, rel) = schemaRelation(idx)
        item.table = tid
        var r = rel
        if n.d >= 0 { rename(&r, with: listOf(n.d)) }
        item.rel = r
      } else {
        if n.flags & 1 == 0 && written.count > 0 && schema.count > 0 {
          let cands = schema.candidates(written)
          if cands.count > 1 {
            let names = cands.map { schema.allTables[Int($0)].parts.joined(separator: ".") }.sorted()
            let first = list(n).first ?? 0
            diag(
              "sql-unknown-schema",
              "table name '\(written.joined(separator: "."))' matches several tables of the schema: \(names.joined(separator: ", "))",
              at: first, hint: "qualify the name with its schema (and database)")
          }
        }
        item.table = tableId(normalizedParts(i))
      }
      if addToReads { reads.insert(item.table) }
      scope.add(item)
    case .derived:
      let lateral = n.flags & 1 != 0
      var rel = analyzeQuery(n.a, parent: lateral ? scope : scope.parent)
      rename(&rel, with: listOf(n.d))
      indirect.append(contentsOf: rel.indirect)
      scope.add(
        Item(
          aliasKey: aliasKey ?? "", hasExplicitAlias: aliasKey != nil, nameParts: [], display: display,
          rel: rel))
    case .tableFunction:
      addTableFunction(n, aliasKey: aliasKey, display: display, scope, &indirect)
    case .pivot:
      let inner = Scope(parent: scope.parent)
      var innerIndirect: [Src] = []
      addPrimary(n.a, inner, &innerIndirect, addToReads: addToReads)
      var fallback: [Src] = []
      for e in list(n) { collect(e, inner, .transformation, &fallback) }
      indirect.append(contentsOf: innerIndirect)
      let item = inner.items.last ?? Item(aliasKey: "", hasExplicitAlias: false, nameParts: [], display: "PIVOT")
      if let aliasKey {
        item.aliasKey = aliasKey
        item.hasExplicitAlias = true
        item.display = display
      }
      item.fallback = Analyzer.normalize(fallback)
      if item.rel == nil { item.table = -1 }
      item.table = -1
      scope.add(item)
    case .join:
      addJoinTree(i, scope, &indirect)
    default:
      break
    }
  }

  mutating func addTableFunction(_ n: Node, aliasKey: String?, display: String, _ scope: Scope, _ indirect: inout [Src])
  {
    let fnode = nodes[Int(n.a)]
    var argSrcs: [Src] = []
    let isUnnest = n.flags & 2 != 0
    var name = ""
    if isUnnest {
      for e in list(fnode) { collect(e, scope, .transformation, &argSrcs) }
      name = "unnest"
    } else {
      // TABLE(FLATTEN(...)) wraps the function; TABLE(expr) reads the expression.
      if fnode.kind == .function {
        name = identKey(fnode.tok)
        var inputArg: Int32 = -1
        for (k, arg) in list(fnode).enumerated() {
          let a = nodes[Int(arg)]
          if a.kind == .namedArg {
            if identKey(a.tok) == "input" { inputArg = a.a }
          } else if k == 0 && name == "flatten" {
            inputArg = arg
          }
        }
        if name == "flatten" && inputArg >= 0 {
          collect(inputArg, scope, .transformation, &argSrcs)
        } else {
          collect(n.a, scope, .transformation, &argSrcs)
        }
      } else {
        collect(n.a, scope, .transformation, &argSrcs)
      }
    }
    argSrcs = Analyzer.normalize(argSrcs)
    var rel = Relation()
    if name == "flatten" {
      for c in SQLNames.flattenColumns {
        rel.columns.append(RelColumn(name: c, key: key(c), sources: c == "SEQ" ? [] : argSrcs))
      }
    } else if isUnnest {
      let cols = listOf(n.d)
      if !cols.isEmpty {
        for t in cols { let x = ident(t).text; rel.columns.append(RelColumn(name: x, key: key(x), sources: argSrcs)) }
      } else {
        let x = aliasKey != nil ? display : "unnest"
        rel.columns.append(RelColumn(name: x, key: key(x), sources: argSrcs))
      }
      if n.b >= 0 {
        let x = ident(n.b).text
        rel.columns.append(RelColumn(name: x, key: key(x), sources: []))
      }
    } else {
      let cols = listOf(n.d)
      for t in cols { let x = ident(t).text; rel.columns.append(RelColumn(name: x, key: key(x), sources: argSrcs)) }
    }
    rel.buildIndex()
    let item = Item(
      aliasKey: aliasKey ?? name, hasExplicitAlias: aliasKey != nil, nameParts: [name],
      display: aliasKey != nil ? display : name)
    if !rel.columns.isEmpty { item.rel = rel }
    if name != "flatten" && !isUnnest { item.fallback = argSrcs }
    scope.add(item)
  }

  // MARK: MERGE and UPDATE

  /// Adds the written target as a scope item that is not counted as read.
  mutating func addTarget(_ target: Int32, _ scope: Scope) {
    var ignored: [Src] = []
    addPrimary(target, scope, &ignored, addToReads: false)
  }

  /// Output columns of assignments, in order of first appearance.
  struct Assigned {
    var rel = Relation()
    var positions: [String: Int] = [:]
    mutating func add(_ name: String, _ k: String, _ s: [Src]) {
      if let i = positions[k] {
        rel.columns[i].sources.append(contentsOf: s)
      } else {
        rel.columns.append(RelColumn(name: name, key: k, sources: s))
        positions[k] = rel.columns.count - 1
      }
    }
  }

  mutating func analyzeMerge(_ n: Node) -> Relation {
    let scope = Scope(parent: nil)
    addTarget(n.a, scope)
    var indirect: [Src] = []
    addPrimary(n.b, scope, &indirect, addToReads: true)
    collect(n.c, scope, .join, &indirect)
    var out = Assigned()
    let sourceItem = scope.items.count > 1 ? scope.items[1] : nil
    for w in list(n) {
      let clause = nodes[Int(w)]
      collect(clause.a, scope, .filter, &indirect)
      if clause.flags & 4 != 0 {
        // UPDATE SET * / INSERT *: every column of the source, by name.
        if let r = sourceItem?.rel {
          for c in r.columns where c.starOrigins == nil { out.add(c.name, c.key, c.sources) }
        } else if let item = sourceItem {
          diag(
            "sql-unknown-schema", "cannot expand '*' over '\(item.display)': its columns are unknown", at: clause.tok,
            hint: "add '\(item.display)' to the schema")
        }
        continue
      }
      if clause.flags & 8 != 0 {
        let cols = Array(listOf(clause.b))
        let vals = Array(listOf(clause.c))
        for (i, v) in vals.enumerated() {
          var s: [Src] = []
          collect(v, scope, .identity, &s)
          let name = i < cols.count ? ident(cols[i]).text : "column\(i + 1)"
          out.add(name, key(name), s)
        }
        continue
      }
      for a in list(clause) {
        let an = nodes[Int(a)]
        var s: [Src] = []
        collect(an.a, scope, .identity, &s)
        let name = ident(an.tok).text
        out.add(name, key(name), s)
      }
    }
    var rel = out.rel
    for i in rel.columns.indices { rel.columns[i].sources = Analyzer.normalize(rel.columns[i].sources) }
    rel.indirect = Analyzer.normalize(indirect)
    return rel
  }

  mutating func analyzeUpdate(_ n: Node) -> Relation {
    let scope = Scope(parent: nil)
    addTarget(n.a, scope)
    var indirect: [Src] = []
    for item in listOf(n.b) { addJoinTree(item, scope, &indirect) }
    var out = Assigned()
    for a in list(n) {
      let an = nodes[Int(a)]
      var s: [Src] = []
      collect(an.a, scope, .identity, &s)
      let name = ident(an.tok).text
      out.add(name, key(name), s)
    }
    if n.c >= 0 { collect(n.c, scope, .filter, &indirect) }
    var rel = out.rel
    for i in rel.columns.indices { rel.columns[i].sources = Analyzer.normalize(rel.columns[i].sources) }
    rel.indirect = Analyzer.normalize(indirect)
    return rel
  }

  // MARK: Stars

  mutating func expandStar(_ starIndex: Int32, _ scope: Scope) -> [RelColumn] {
    let star = nodes[Int(starIndex)]
    let qualifier = list(star).map { identKey($0) }
    var cols: [RelColumn] = []
    var targets: [Int] = []
    if qualifier.isEmpty {
      targets = Array(scope.items.indices)
      for c in scope.coalescedOrder {
        cols.append(RelColumn(name: c.name, key: c.key, sources: scope.coalesced[c.key] ?? []))
      }
    } else {
      var s: Scope? = scope
      while let sc = s, targets.isEmpty {
        if let i = findQualified(qualifier, in: sc) {
          if sc === scope { targets = [i] } else { targets = [] }; if sc === scope { break }
        }
        s = sc.parent
      }
      if targets.isEmpty {
        diag(
          "sql-unresolved-column",
          "no table or alias '\(qualifier.joined(separator: "."))' for '\(qualifier.joined(separator: ".")).*'",
          at: star.tok, hint: "name a table or alias of the FROM clause")
        return []
      }
    }
    if targets.isEmpty && qualifier.isEmpty && scope.items.isEmpty {
      diag("sql-unresolved-column", "'*' without a FROM clause", at: star.tok, hint: "add a FROM clause")
      return []
    }
    for i in targets {
      let item = scope.items[i]
      if item.selfRef { continue }
      if let r = item.rel {
        for c in r.columns where !(qualifier.isEmpty && item.hidden.contains(c.key)) {
          var c = c
          if c.starOrigins != nil && !qualifier.isEmpty { c.name = "\(item.display).*" }
          cols.append(c)
        }
      } else if item.table >= 0 {
        let name = tableParts[Int(item.table)].joined(separator: ".")
        diag(
          "sql-unknown-schema", "cannot expand '*' over '\(name)': its columns are unknown",
          at: star.tok, hint: "add '\(name)' to the schema (a catalog.json, or its upstream model's SQL)")
        let label = qualifier.isEmpty ? "*" : "\(item.display).*"
        cols.append(
          RelColumn(
            name: label, key: "*", sources: [Src(id: srcId(item.table, "*"), transform: .identity, masked: false)],
            starOrigins: [item.table]))
      } else {
        let label = qualifier.isEmpty ? "*" : "\(item.display).*"
        diag(
          "sql-unknown-schema", "cannot expand '*' over '\(item.display)': its columns are unknown",
          at: star.tok, hint: "select the columns by name")
        cols.append(RelColumn(name: label, key: "*", sources: item.fallback ?? [], starOrigins: []))
      }
    }
    // EXCLUDE / EXCEPT.
    let excluded = Set(listOf(star.a).map { identKey($0) })
    if !excluded.isEmpty { cols.removeAll { $0.starOrigins == nil && excluded.contains($0.key) } }
    // REPLACE.
    for r in listOf(star.b) {
      let rn = nodes[Int(r)]
      let k = identKey(rn.tok)
      var s: [Src] = []
      collect(rn.a, scope, .identity, &s)
      if let i = cols.firstIndex(where: { $0.starOrigins == nil && $0.key == k }) {
        cols[i].sources = Analyzer.normalize(s)
      }
    }
    // RENAME.
    let pairs = Array(listOf(star.c))
    var p = 0
    while p + 1 < pairs.count {
      let old = identKey(pairs[p])
      let new = ident(pairs[p + 1]).text
      if let i = cols.firstIndex(where: { $0.starOrigins == nil && $0.key == old }) {
        cols[i].name = new
        cols[i].key = key(new)
      }
      p += 2
    }
    return cols
  }

  // MARK: Name resolution

  mutating func findQualified(_ qualifier: [String], in scope: Scope) -> Int? {
    guard let last = qualifier.last, let cands = scope.byAlias[last] else { return nil }
    for c in cands {
      let item = scope.items[Int(c)]
      if qualifier.count == 1 { return Int(c) }
      if !item.hasExplicitAlias && item.nameParts.count >= qualifier.count
        && item.nameParts[(item.nameParts.count - qualifier.count)...].elementsEqual(qualifier)
      {
        return Int(c)
      }
    }
    return nil
  }

  mutating func lookup(_ k: String, _ name: String, in item: Item, quoted: Bool) -> ItemLookup {
    if item.selfRef { return .maybe([]) }
    if let r = item.rel {
      if let i = findColumn(r, k, exact: strictSpelling(name, quoted)) { return .certain(r.columns[i].sources) }
      var origins: [Int32] = []
      var fallbacks: [Src] = []
      var marker = false
      for c in r.columns where c.starOrigins != nil {
        marker = true
        if let o = c.starOrigins, !o.isEmpty {
          origins.append(contentsOf: o)
        } else {
          fallbacks.append(contentsOf: c.sources)
        }
      }
      if marker {
        let uniq = Array(Set(origins))
        if uniq.count > 1 { return .ambiguous }
        if uniq.count == 1 {
          return .maybe([
            Src(id: srcId(uniq[0], quoted ? name : dialect.fold(name)), transform: .identity, masked: false)
          ])
        }
        return .maybe(fallbacks)
      }
      if let f = item.fallback {
        return .maybe(
          f.map { Src(id: $0.id, transform: Analyzer.combine(.transformation, $0.transform), masked: $0.masked) })
      }
      if item.table >= 0 && !quoted && k.utf8.starts(with: "metadata$".utf8) {
        return .certain([Src(id: srcId(item.table, dialect.fold(name)), transform: .identity, masked: false)])
      }
      return .absent
    }
    if let f = item.fallback { return .maybe(f) }
    if item.table >= 0 {
      if quoted { return .maybe([Src(id: srcId(item.table, name), transform: .identity, masked: false)]) }
      if let id = item.memo[k] { return .maybe([Src(id: id, transform: .identity, masked: false)]) }
      // An unquoted name: the folded form is the key itself, or its upper case.
      let id = srcId(item.table, dialect.folding == .lower ? k : asciiUppercased(k))
      item.memo[k] = id
      return .maybe([Src(id: id, transform: .identity, masked: false)])
    }
    return .absent
  }

  /// Resolves one column reference (name parts tokens); nil when it cannot be resolved.
  mutating func resolve(_ col: Node, _ scope: Scope) -> [Src]? {
    guard col.listCount > 0 else { return nil }
    let at = lists[Int(col.listStart)]
    if col.listCount == 1 { return resolveSingle(ident(at), scope, at: at, key: identKey(at)) }
    let parts = list(col).map { ident($0) }
    let lower = parts.map { key($0.text) }
    var s: Scope? = scope
    while let sc = s {
      var k = min(parts.count - 1, 3)
      while k >= 1 {
        if let i = findQualified(Array(lower[0..<k]), in: sc) {
          let item = sc.items[i]
          let c = parts[k]
          let extra = parts.count > k + 1
          switch lookup(lower[k], c.text, in: item, quoted: c.quoted) {
          case .certain(let srcs), .maybe(let srcs):
            return extra
              ? srcs.map {
                Src(id: $0.id, transform: Analyzer.combine(.transformation, $0.transform), masked: $0.masked)
              } : srcs
          case .ambiguous:
            diag(
              "sql-ambiguous-column",
              "column '\(parts.map(\.text).joined(separator: "."))' may come from several tables behind '\(item.display)'",
              at: at, hint: "add the tables to the schema so that '*' can be expanded")
            return []
          case .absent:
            diag(
              "sql-unresolved-column", "column '\(c.text)' not found in '\(item.display)'", at: at,
              hint: "check the name against the columns of '\(item.display)'")
            return []
          }
        }
        k -= 1
      }
      s = sc.parent
    }
    // Not a qualifier: a struct field access on a column (BigQuery a.b.c, Snowflake v.f).
    if let base = resolveSingle(parts[0], scope, at: at, report: false) {
      return base.map { Src(id: $0.id, transform: Analyzer.combine(.transformation, $0.transform), masked: $0.masked) }
    }
    diag(
      "sql-unresolved-column",
      "no table or alias '\(parts[0].text)' for column '\(parts.map(\.text).joined(separator: "."))'",
      at: at, hint: "name a table or alias of the FROM clause")
    return nil
  }

  mutating func resolveSingle(
    _ part: (text: String, quoted: Bool), _ scope: Scope, at: Int32, report: Bool = true,
    key precomputed: String? = nil
  ) -> [Src]? {
    let k = precomputed ?? key(part.text)
    let exact = strictSpelling(part.text, part.quoted)
    var s: Scope? = scope
    var first = true
    while let sc = s {
      if sc.lambdaParams.contains(k) { return [] }
      if first && sc.aliasMode == .first,
        let a = sc.aliases.last(where: { $0.key == k && (exact == nil || $0.spelling == exact) })
      {
        return a.sources
      }
      if let c = sc.coalesced[k] { return c }
      var idxs = sc.itemsWithColumn(k)
      if exact != nil {
        idxs = idxs.filter { i in sc.items[Int(i)].rel.map { findColumn($0, k, exact: exact) != nil } ?? false }
      }
      do {
        if idxs.count == 1, let r = sc.items[Int(idxs[0])].rel, let ci = findColumn(r, k, exact: exact) {
          return r.columns[ci].sources
        }
        if idxs.count > 1 {
          if report {
            diag(
              "sql-ambiguous-column", "column '\(part.text)' is in several tables of the FROM clause", at: at,
              hint: "qualify it with its table or alias")
          }
          return []
        }
      }
      if first && sc.aliasMode == .after,
        let a = sc.aliases.last(where: { $0.key == k && (exact == nil || $0.spelling == exact) })
      {
        return a.sources
      }
      if sc.open.count == 1 {
        let item = sc.items[Int(sc.open[0])]
        switch lookup(k, part.text, in: item, quoted: part.quoted) {
        case .certain(let x), .maybe(let x): return x
        case .ambiguous:
          if report {
            diag(
              "sql-ambiguous-column", "column '\(part.text)' may come from several tables behind '\(item.display)'",
              at: at, hint: "add the tables to the schema so that '*' can be expanded")
          }
          return []
        case .absent: break
        }
      } else if sc.open.count > 1 {
        if report {
          var names = sc.open.prefix(6).map { sc.items[Int($0)].display }.sorted()
          if sc.open.count > 6 { names.append("...") }
          diag(
            "sql-ambiguous-column",
            "column '\(part.text)' may come from any of \(names.joined(separator: ", ")): their columns are unknown",
            at: at, hint: "qualify it with its table or alias, or add the tables to the schema")
        }
        return []
      }
      s = sc.parent
      first = false
    }
    if report {
      // Column without a FROM item that could hold it.
      let hasItems = !scope.items.isEmpty
      diag(
        "sql-unresolved-column",
        hasItems
          ? "column '\(part.text)' not found in the tables of the FROM clause"
          : "column '\(part.text)' has no table to come from",
        at: at, hint: hasItems ? "check the name against the schema" : "add a FROM clause or qualify the name")
    }
    return nil
  }

  /// True when a table of `scope` or an enclosing scope is known to have column `k`.
  func hasKnownColumn(_ k: String, _ scope: Scope) -> Bool {
    var s: Scope? = scope
    while let sc = s {
      if sc.hasKnownColumn(k) { return true }
      s = sc.parent
    }
    return false
  }

  /// A Snowflake stage pseudo-column (`METADATA$FILENAME`) written without a qualifier:
  /// a column of the one table (or stage) read by the nearest SELECT with a FROM clause.
  /// Nil (no source) when that SELECT reads no table; ambiguous when it reads several.
  mutating func stagePseudoColumn(_ name: String, _ scope: Scope, at: Int32) -> [Src]? {
    var s: Scope? = scope
    while let sc = s, sc.items.isEmpty { s = sc.parent }
    guard let sc = s else { return nil }
    let tables = sc.items.filter { $0.table >= 0 }
    if tables.count == 1 {
      return [Src(id: srcId(tables[0].table, dialect.fold(name)), transform: .identity, masked: false)]
    }
    if tables.count > 1 {
      diag(
        "sql-ambiguous-column", "pseudo-column '\(name)' may come from several tables of the FROM clause", at: at,
        hint: "qualify it with its table or alias")
      return []
    }
    return nil
  }

  // MARK: Expressions

  private struct Frame {
    var node: Int32
    var ctx: Transform
    var masked: Bool
    /// 1: a date function's unit position that takes only a keyword; 2: one that takes an
    /// expression (a column in scope wins over the unit keyword); 0 elsewhere.
    var datePart: UInt8
    var popLambda: Int32
  }

  /// Collects the sources of expression `root` into `out`, under context `base`
  /// (`.identity` for a select item, `.filter` for WHERE, ...).
  mutating func collect(_ root: Int32, _ scope: Scope, _ base: Transform, _ out: inout [Src]) {
    guard root >= 0 else { return }
    var stack: [Frame] = framePool.popLast() ?? []
    defer {
      stack.removeAll(keepingCapacity: true)
      framePool.append(stack)
    }
    stack.append(Frame(node: root, ctx: base, masked: false, datePart: 0, popLambda: 0))
    @inline(__always) func emit(_ s: [Src], _ ctx: Transform, _ masked: Bool, _ out: inout [Src]) {
      for x in s {
        out.append(Src(id: x.id, transform: Analyzer.combine(ctx, x.transform), masked: masked || x.masked))
      }
    }
    while let f = stack.popLast() {
      if f.popLambda > 0 {
        scope.lambdaParams.removeLast(Int(f.popLambda))
        continue
      }
      let n = nodes[Int(f.node)]
      let inner = Analyzer.combine(f.ctx, .transformation)
      @inline(__always) func push(_ i: Int32, _ ctx: Transform, _ masked: Bool, datePart: UInt8 = 0) {
        if i >= 0 { stack.append(Frame(node: i, ctx: ctx, masked: masked, datePart: datePart, popLambda: 0)) }
      }
      switch n.kind {
      case .column:
        if n.listCount == 1 && tokens[Int(lists[Int(n.listStart)])].kind == .ident {
          let tok = tokens[Int(lists[Int(n.listStart)])]
          let k = identKey(lists[Int(n.listStart)])
          if f.datePart != 0 && SQLNames.isDatePart(tok, bytes) && !(f.datePart == 2 && hasKnownColumn(k, scope)) {
            continue
          }
          if SQLNames.niladic.contains(k) && (dialect.niladicKeywordsWin || !hasKnownColumn(k, scope)) { continue }
          if k.utf8.starts(with: "metadata$".utf8) && !hasKnownColumn(k, scope) {
            if let s = stagePseudoColumn(ident(lists[Int(n.listStart)]).text, scope, at: lists[Int(n.listStart)]) {
              emit(s, f.ctx, f.masked, &out)
            }
            continue
          }
        }
        if let s = resolve(n, scope) { emit(s, f.ctx, f.masked, &out) }
      case .literal, .star, .windowDef:
        if n.kind == .star && n.listCount > 0 {
          let qualifier = list(n).map { identKey($0) }
          if let i = findQualified(qualifier, in: scope) {
            let item = scope.items[i]
            if let r = item.rel {
              for c in r.columns { emit(c.sources, inner, f.masked, &out) }
            } else if item.table >= 0 {
              emit([Src(id: srcId(item.table, "*"), transform: .identity, masked: false)], inner, f.masked, &out)
            }
          }
        }
      case .unary, .binary, .cast, .between, .access, .inList, .list, .namedArg:
        push(n.a, inner, f.masked)
        push(n.b, inner, f.masked)
        push(n.c, inner, f.masked)
        if n.kind != .namedArg { for x in list(n) { push(x, inner, f.masked) } }
      case .orderItem:
        push(n.a, f.ctx, f.masked)
      case .function:
        let name = identKey(n.tok)
        let masked = f.masked || SQLNames.isMasking(name)
        let isAgg = SQLNames.aggregates.contains(name)
        let argCtx = Analyzer.combine(f.ctx, isAgg ? .aggregation : .transformation)
        let args = list(n)
        let unit = SQLNames.dateUnitArgument(name, count: args.count, dialect: dialect)
        for (k, x) in args.enumerated() {
          push(x, argCtx, masked, datePart: unit.map { $0.index == k ? ($0.expression ? 2 : 1) : 0 } ?? 0)
        }
        push(n.a, Analyzer.indirectOr(f.ctx, .conditional), f.masked)
        if n.c >= 0 { for x in listOf(n.c) { push(x, Analyzer.indirectOr(f.ctx, .sort), f.masked) } }
        if n.b >= 0 { pushWindow(n.b, Analyzer.indirectOr(f.ctx, .window), f.masked, scope, &stack) }
      case .window:
        pushWindow(f.node, f.ctx, f.masked, scope, &stack)
      case .caseExpr:
        let cond = Analyzer.indirectOr(f.ctx, .conditional)
        push(n.a, cond, f.masked)
        for (k, x) in list(n).enumerated() { push(x, k % 2 == 0 ? cond : inner, f.masked) }
        push(n.b, inner, f.masked)
      case .subquery:
        let rel = analyzeQuery(n.a, parent: scope)
        if let first = rel.columns.first { emit(first.sources, f.ctx, f.masked, &out) }
        for s in rel.indirect {
          out.append(Src(id: s.id, transform: Analyzer.indirectOr(f.ctx, s.transform), masked: s.masked))
        }
      case .exists, .inQuery:
        let q = n.kind == .exists ? n.a : n.b
        if n.kind == .inQuery { push(n.a, inner, f.masked) }
        let rel = analyzeQuery(q, parent: scope)
        let cond = Analyzer.indirectOr(f.ctx, .conditional)
        for c in rel.columns { for s in c.sources { out.append(Src(id: s.id, transform: cond, masked: s.masked)) } }
        for s in rel.indirect {
          out.append(Src(id: s.id, transform: Analyzer.indirectOr(f.ctx, s.transform), masked: s.masked))
        }
      case .lambda:
        let params = list(n).map { identKey($0) }
        stack.append(Frame(node: -1, ctx: f.ctx, masked: false, datePart: 0, popLambda: Int32(params.count)))
        push(n.a, inner, f.masked)
        scope.lambdaParams.append(contentsOf: params)
      default:
        break
      }
    }
  }

  /// Pushes the PARTITION BY and ORDER BY expressions of a window (following named
  /// windows of the WINDOW clause).
  private mutating func pushWindow(_ w: Int32, _ ctx: Transform, _ masked: Bool, _ scope: Scope, _ stack: inout [Frame])
  {
    var cur = w
    var guardCount = 0
    while cur >= 0 && guardCount < 64 {
      guardCount += 1
      let n = nodes[Int(cur)]
      for x in listOf(n.a) { stack.append(Frame(node: x, ctx: ctx, masked: masked, datePart: 0, popLambda: 0)) }
      for x in listOf(n.b) { stack.append(Frame(node: x, ctx: ctx, masked: masked, datePart: 0, popLambda: 0)) }
      guard n.tok >= 0 else { break }
      // A named window: find its definition in this or an outer SELECT.
      let name = identKey(n.tok)
      var next: Int32 = -1
      var s: Scope? = scope
      while let sc = s, next < 0 {
        for d in listOf(sc.windows) where identKey(nodes[Int(d)].tok) == name { next = nodes[Int(d)].a; break }
        s = sc.parent
      }
      cur = next
    }
  }
}
