import LineageCore

/// A source during analysis: an interned (table, column) and how it flows.
struct Src: Sendable, Equatable {
  var id: Int32
  var transform: Transform
  var masked: Bool

  /// This source seen through an expression of context `ctx` (`Analyzer.combine`).
  @inline(__always) func under(_ ctx: Transform, masked m: Bool = false) -> Src {
    Src(id: id, transform: Analyzer.combine(ctx, transform), masked: m || masked)
  }

  /// This source with its transform replaced.
  @inline(__always) func with(_ t: Transform) -> Src { Src(id: id, transform: t, masked: masked) }
}

/// One column of a relation: a name and its sources, or an unexpanded-star marker.
struct RelColumn: Sendable {
  var name: String
  /// The interned lower-cased name (`NameTable`).
  var key: Int32
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
  var index: [Int32: Int32] = [:]
  var indirect: [Src] = []

  static let indexThreshold = 24

  mutating func buildIndex() {
    index.removeAll(keepingCapacity: true)
    guard columns.count > Relation.indexThreshold else { return }
    for (i, c) in columns.enumerated() where c.starOrigins == nil && index[c.key] == nil { index[c.key] = Int32(i) }
  }

  /// Appends a column, keeping the index (when there is one) up to date.
  mutating func append(_ c: RelColumn) {
    columns.append(c)
    if columns.count == Relation.indexThreshold + 1 {
      buildIndex()
    } else if columns.count > Relation.indexThreshold, c.starOrigins == nil, index[c.key] == nil {
      index[c.key] = Int32(columns.count - 1)
    }
  }

  /// The first named column with key `k`.
  func find(_ k: Int32) -> Int? {
    if columns.count > Relation.indexThreshold && !index.isEmpty { return index[k].map(Int.init) }
    for (i, c) in columns.enumerated() where c.key == k && c.starOrigins == nil { return i }
    return nil
  }

  var hasMarkers: Bool { columns.contains { $0.starOrigins != nil } }
}

/// One FROM item in a scope.
struct Item {
  /// The alias, or the CTE or table's last name part (interned, lower-cased).
  var aliasKey: Int32
  var hasExplicitAlias: Bool
  /// Lower-cased name parts as written (interned), for `schema.table.column` qualifiers.
  var nameParts: [Int32] = []
  /// How the item is named in messages: the alias token (or -1), else the table
  /// reference node as written (or -1), else `label` (a name id, or -1), else `fixed`.
  var displayTok: Int32 = -1
  var displayRef: Int32 = -1
  var label: Int32 = -1
  var fixed = ""
  /// The physical table, or -1.
  var table: Int32 = -1
  /// Known columns (schema table, CTE, derived table, FLATTEN, UNNEST).
  var rel: Relation?
  /// Table functions and PIVOT: any column not in `rel` comes from these.
  var fallback: [Src]?
  /// Indices in `rel` of the columns merged by USING or NATURAL (hidden from an
  /// unqualified `*`, which shows the merged column instead).
  var hidden: [Int32] = []
  /// A recursive CTE's reference to itself.
  var selfRef = false

  /// True when the item may hold columns beyond `rel`'s named ones.
  var isOpen: Bool {
    if selfRef || fallback != nil { return true }
    guard let rel else { return table >= 0 }
    return rel.hasMarkers
  }
}

enum AliasMode { case none, after, first }

/// The names visible to one SELECT. Its fields are only touched by the analyser that
/// owns it, one access at a time, so they skip dynamic exclusivity checks.
final class Scope {
  let parent: Scope?
  @exclusivity(unchecked) private(set) var items: [Item] = []
  /// Items whose columns are not all known.
  @exclusivity(unchecked) private(set) var open: [Int32] = []
  /// Every named column of the items with known columns, in item order, as contiguous
  /// arrays: its key, and its item and column indices.
  @exclusivity(unchecked) private var columnKeys: [Int32] = []
  @exclusivity(unchecked) private var columnRefs: [(item: Int32, column: Int32)] = []
  /// Columns merged by USING or NATURAL, in order: key, name (and whether it is the
  /// stored spelling) and merged sources.
  @exclusivity(unchecked) var coalesced: [(key: Int32, name: String, quoted: Bool, sources: [Src])] = []
  /// SELECT-list aliases: key, alias token and sources.
  @exclusivity(unchecked) var aliases: [(key: Int32, tok: Int32, sources: [Src])] = []
  @exclusivity(unchecked) var aliasMode: AliasMode = .none
  @exclusivity(unchecked) var lambdaParams: [Int32] = []
  @exclusivity(unchecked) var windows: Int32 = -1
  /// For wide scopes: item indices by alias key and positions in `columnKeys` by key,
  /// extended as items are added (`indexedItems` items and `indexedColumns` columns so far).
  @exclusivity(unchecked) private var byAlias: [Int32: [Int32]] = [:]
  @exclusivity(unchecked) private var byColumn: [Int32: [Int32]] = [:]
  @exclusivity(unchecked) private var indexedItems = 0
  @exclusivity(unchecked) private var indexedColumns = 0

  /// Up to this many items (or columns) are scanned; beyond, they are indexed.
  static let scanItems = 8
  static let scanColumns = 256

  init(parent: Scope?) { self.parent = parent }

  func add(_ item: Item) {
    let i = Int32(items.count)
    if item.isOpen { open.append(i) }
    if !item.selfRef, let n = item.rel?.columns.count, n > 0 {
      columnKeys.reserveCapacity(columnKeys.count + n)
      columnRefs.reserveCapacity(columnRefs.count + n)
      item.rel?.columns.withUnsafeBufferPointer { cols in
        for ci in cols.indices where cols[ci].starOrigins == nil {
          columnKeys.append(cols[ci].key)
          columnRefs.append((item: i, column: Int32(ci)))
        }
      }
    }
    items.append(item)
  }

  /// Marks column `column` of item `i` as merged by USING or NATURAL.
  func hide(_ column: Int, in i: Int) {
    if !items[i].hidden.contains(Int32(column)) { items[i].hidden.append(Int32(column)) }
  }

  /// The merged (USING / NATURAL) column with key `k` (and, when `exact` is set, that
  /// stored spelling in `dialect`), if any.
  func coalescedIndex(_ k: Int32, exact: String? = nil, _ dialect: SQLDialect) -> Int? {
    for (i, c) in coalesced.enumerated() where c.key == k {
      if let exact, (c.quoted ? c.name : dialect.fold(c.name)) != exact { continue }
      return i
    }
    return nil
  }

  /// The sources of column `column` of item `item`.
  func sources(item: Int, column: Int) -> [Src] { items[item].rel?.columns[column].sources ?? [] }

  /// Calls `body` with the items whose alias key (or last name part) is `k`, in order,
  /// until it returns true.
  func withAlias(_ k: Int32, _ body: (Int) -> Bool) {
    if items.count <= Scope.scanItems {
      for i in items.indices where items[i].aliasKey == k { if body(i) { return } }
      return
    }
    while indexedItems < items.count {
      byAlias[items[indexedItems].aliasKey, default: []].append(Int32(indexedItems))
      indexedItems += 1
    }
    for i in byAlias[k] ?? [] where body(Int(i)) { return }
  }

  /// Calls `body` with each item known to have a column with key `k` (not a recursive
  /// CTE's self-reference) and that column's index (its first with the key), in order,
  /// until it returns true.
  func withColumn(_ k: Int32, _ body: (_ item: Int, _ column: Int) -> Bool) {
    var last: Int32 = -1
    if columnKeys.count <= Scope.scanColumns {
      for j in columnKeys.indices where columnKeys[j] == k {
        let ref = columnRefs[j]
        if ref.item == last { continue }
        last = ref.item
        if body(Int(ref.item), Int(ref.column)) { return }
      }
      return
    }
    while indexedColumns < columnKeys.count {
      byColumn[columnKeys[indexedColumns], default: []].append(Int32(indexedColumns))
      indexedColumns += 1
    }
    for j in byColumn[k] ?? [] {
      let ref = columnRefs[Int(j)]
      if ref.item == last { continue }
      last = ref.item
      if body(Int(ref.item), Int(ref.column)) { return }
    }
  }

  /// True when some item of this scope is known to have a column with key `k`.
  func hasKnownColumn(_ k: Int32) -> Bool {
    var found = false
    withColumn(k) { _, _ in
      found = true
      return true
    }
    return found
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

/// A table reference written with up to four unquoted parts, by their interned keys:
/// the key of the analyser's table-reference cache.
struct RefKey: Hashable {
  var p0: Int32 = -1
  var p1: Int32 = -1
  var p2: Int32 = -1
  var p3: Int32 = -1
}

/// What a table reference resolved to: the schema table's index (or -1), the interned
/// table id when it is not in the schema (or -1), and the message when several schema
/// tables end with the name.
struct RefInfo {
  var schemaIndex: Int32
  var table: Int32
  var ambiguity: String?
}

/// Per-name facts the analysis asks about function and column names, computed once per
/// interned name.
enum NameClass {
  static let known: UInt8 = 1
  static let aggregate: UInt8 = 2
  static let masking: UInt8 = 4
  static let niladic: UInt8 = 8
  static let metadata: UInt8 = 16
  static let dateFunction: UInt8 = 32
}

/// Column lineage over the parsed AST. Expressions are walked with an explicit stack;
/// recursion happens only per nested query or FROM item, which the parser bounds.
///
/// Names are interned once (`NameTable`, ASCII case-folded keys, cached per token), so
/// scopes and relations compare integer keys; FROM items are values in their scope's
/// array; table references written alike resolve once per text (`refCache`).
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

  private var names = NameTable()
  /// The interned key of each token, or -1 before it is asked for.
  private var tokenKeys: [Int32]
  private var classes: [UInt8] = []
  private let starKey: Int32

  private var tableIds: [[String]: Int32] = [:]
  private var tableParts: [[String]] = []
  private var srcIds: [SrcKey: Int32] = [:]
  private var srcTable: [Int32] = []
  private var srcColumn: [String] = []
  /// Sources of unquoted column names of tables whose columns are unknown, by
  /// (table id, column key).
  private var unknownColumns: [Int64: Int32] = [:]
  /// The relation of each schema table (by schema index) once asked for.
  private var schemaRels: [Relation?] = []
  private var schemaTableOf: [Int32] = []
  /// Table references of unquoted parts, resolved; `refLasts` holds their last parts'
  /// keys, so that learning a table drops only what it can change.
  private var refCache: [RefKey: RefInfo] = [:]
  private var refLasts: Set<Int32> = []

  var stack = StackGuard()
  /// The work list of `collect`; a nested call (a subquery's expressions) works above
  /// the entries of the calls that are under way.
  private var frames: [Frame] = []
  private var ctes: [(key: Int32, rel: Relation, selfRef: Bool)] = []
  /// How many times a recursive CTE's reference to itself has been added to a scope.
  private var selfReferences = 0
  /// Passes over a recursive CTE's body at most (its sources grow to a fixed point).
  static let maxRecursivePasses = 16
  private var reads: Set<Int32> = []

  init(parser: Parser, schema: SQLSchema) {
    nodes = parser.nodes
    lists = parser.lists
    selects = parser.selects
    tokens = parser.tokens
    bytes = parser.bytes
    dialect = parser.dialect
    self.schema = schema
    tokenKeys = [Int32](repeating: -1, count: parser.tokens.count)
    starKey = names.intern("*")
  }

  // MARK: Text

  func list(_ n: Node) -> ArraySlice<Int32> {
    lists[Int(n.listStart)..<Int(n.listStart + n.listCount)]
  }

  func listOf(_ index: Int32) -> ArraySlice<Int32> {
    index < 0 ? [] : list(nodes[Int(index)])
  }

  func rawText(_ tok: Token) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.end)]), as: UTF8.self)
  }

  /// An identifier's text (quotes removed, doubled quotes collapsed) and whether it was quoted.
  func ident(_ index: Int32) -> (text: String, quoted: Bool) {
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

  private func unquote(_ tok: Token, skipPrefix: Int) -> String {
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

  /// The interned key (lower-cased name) of a text.
  mutating func key(_ text: String) -> Int32 { names.intern(text) }

  /// The interned key of an identifier token (its unquoted text, lower-cased), cached
  /// per token; an unquoted identifier is interned straight from the input's bytes.
  mutating func identKey(_ index: Int32) -> Int32 {
    let cached = tokenKeys[Int(index)]
    if cached >= 0 { return cached }
    let tok = tokens[Int(index)]
    let k: Int32
    if tok.kind == .ident {
      k = names.intern(lowercasing: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.end)]))
    } else {
      k = names.intern(ident(index).text)
    }
    tokenKeys[Int(index)] = k
    return k
  }

  /// The text the database stores for an unquoted name with key `k`.
  func folded(_ k: Int32) -> String {
    dialect.folding == .lower ? names.text(k) : asciiUppercased(names.text(k))
  }

  /// The stored spelling of an identifier token: as written when quoted, else folded.
  mutating func spelling(_ index: Int32) -> String {
    let id = ident(index)
    return id.quoted ? id.text : folded(identKey(index))
  }

  func normalized(_ part: (text: String, quoted: Bool)) -> String {
    part.quoted ? part.text : dialect.fold(part.text)
  }

  /// What the analysis needs to know about the name with key `k` (`NameClass` bits).
  mutating func nameClass(_ k: Int32) -> UInt8 {
    if Int(k) < classes.count, classes[Int(k)] != 0 { return classes[Int(k)] }
    if classes.count < names.count { classes.append(contentsOf: repeatElement(0, count: names.count - classes.count)) }
    let text = names.text(k)
    var c = NameClass.known
    if SQLNames.aggregates.contains(text) { c |= NameClass.aggregate }
    if SQLNames.isMasking(text) { c |= NameClass.masking }
    if SQLNames.niladic.contains(text) { c |= NameClass.niladic }
    if names.hasPrefix(k, "metadata$") { c |= NameClass.metadata }
    if (2...4).contains(where: { SQLNames.dateUnitArgument(text, count: $0, dialect: dialect) != nil }) {
      c |= NameClass.dateFunction
    }
    classes[Int(k)] = c
    return c
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

  /// The source for an unquoted column name with key `k` of table `table`.
  mutating func unquotedSrc(_ table: Int32, _ k: Int32) -> Src {
    let memo = Int64(table) << 32 | Int64(k)
    if let id = unknownColumns[memo] { return Src(id: id, transform: .identity, masked: false) }
    let id = srcId(table, folded(k))
    unknownColumns[memo] = id
    return Src(id: id, transform: .identity, masked: false)
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

  /// How FROM item `item` is named in messages.
  func display(_ item: Item) -> String {
    if item.displayTok >= 0 { return ident(item.displayTok).text }
    if item.displayRef >= 0 { return writtenParts(item.displayRef).joined(separator: ".") }
    if item.label >= 0 { return names.text(item.label) }
    return item.fixed
  }

  // MARK: Transforms

  /// The transform of a source reached through an expression of context `outer`: an
  /// indirect context wins, then an indirect source, then the stronger direct one
  /// (identity < transformation < aggregation).
  static func combine(_ outer: Transform, _ inner: Transform) -> Transform {
    if outer.isIndirect { return outer }
    if inner.isIndirect { return inner }
    return transformRank(outer) >= transformRank(inner) ? outer : inner
  }

  static func indirectOr(_ ctx: Transform, _ t: Transform) -> Transform {
    ctx.isIndirect ? ctx : t
  }

  /// Sorts by (id, transform) and merges duplicates; masked only if masked on every path.
  static func normalize(_ s: [Src]) -> [Src] {
    if s.count <= 1 { return s }
    var sorted = s
    sorted.sort { a, b in
      a.id != b.id ? a.id < b.id : transformRank(a.transform) < transformRank(b.transform)
    }
    var w = 0
    for r in 1..<sorted.count {
      let x = sorted[r]
      if sorted[w].id == x.id && sorted[w].transform == x.transform {
        sorted[w].masked = sorted[w].masked && x.masked
      } else {
        w += 1
        sorted[w] = x
      }
    }
    sorted.removeLast(sorted.count - w - 1)
    return sorted
  }

  // MARK: Statements

  mutating func analyzeStatement(_ s: Int32) -> StatementLineage {
    let n = nodes[Int(s)]
    reads.removeAll(keepingCapacity: true)
    ctes.removeAll(keepingCapacity: true)
    let kind = StatementKindRaw(rawValue: n.flags) ?? .select
    var rel = Relation()
    var target: [String]?
    // The written table, looked up once: its schema index, or nil when it is new.
    let written = kind == .select ? nil : resolveTarget(n.a)
    let targetIndex = written?.schemaIndex
    switch kind {
    case .select:
      rel = analyzeQuery(n.b, parent: nil)
    case .createTable, .createView:
      rel = analyzeQuery(n.b, parent: nil)
      rename(&rel, with: listOf(n.c))
    case .insert:
      rel = analyzeQuery(n.b, parent: nil)
      if n.c >= 0 {
        rename(&rel, with: listOf(n.c))
      } else if let targetIndex {
        let cols = schema.allTables[Int(targetIndex)].columns
        for i in rel.columns.indices where i < cols.count && rel.columns[i].starOrigins == nil {
          rel.columns[i].name = cols[i].name
          rel.columns[i].key = key(cols[i].name)
        }
      }
    case .merge:
      rel = analyzeMerge(n)
    case .update:
      rel = analyzeUpdate(n)
    }
    if let written { target = written.parts }
    if let target, kind == .createTable || kind == .createView || kind == .insert {
      learn(target, rel, replace: kind != .insert || targetIndex == nil)
    }
    let first = tokens[Int(n.tok)]
    let columns = rel.columns.map { c -> OutputColumn in
      OutputColumn(name: c.name, sources: publicSources(c.sources), isUnexpandedStar: c.starOrigins != nil)
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
    let idx = schema.add(
      target, columns: rel.columns.map { SQLSchema.Column(name: $0.quoted ? $0.name : dialect.fold($0.name)) })
    // A new table can change what names ending like it resolve to.
    if let last = target.last, refLasts.contains(key(last)) {
      refCache.removeAll(keepingCapacity: true)
      refLasts.removeAll(keepingCapacity: true)
    }
    if Int(idx) < schemaRels.count { schemaRels[Int(idx)] = nil }
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

  func writtenParts(_ tableRef: Int32) -> [String] {
    guard tableRef >= 0 else { return [] }
    let n = nodes[Int(tableRef)]
    var parts: [String] = []
    for t in list(n) {
      let id = ident(t)
      if (tokens[Int(t)].kind == .string || (dialect.quotedNamesSplitAtDots && tokens[Int(t)].kind == .quotedIdent))
        && !id.text.isEmpty
      {
        parts.append(contentsOf: id.text.split(separator: ".").map { String($0) })
      } else {
        parts.append(id.text)
      }
    }
    return parts
  }

  func normalizedParts(_ tableRef: Int32) -> [String] {
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
      } else if dialect.quotedNamesSplitAtDots && tokens[Int(t)].kind == .quotedIdent {
        parts.append(contentsOf: id.text.split(separator: ".").map { dialect.fold(String($0)) })
      } else if tokens[Int(t)].kind == .param {
        parts.append(rawText(tokens[Int(t)]))
      } else {
        parts.append(normalized(id))
      }
    }
    return parts
  }

  /// The cache key of a table reference written as one to four unquoted identifiers.
  mutating func refKey(_ tableRef: Int32) -> RefKey? {
    let n = nodes[Int(tableRef)]
    guard n.kind == .tableRef, n.flags & 1 == 0, n.listCount >= 1, n.listCount <= 4 else { return nil }
    var key = RefKey()
    for (k, t) in list(n).enumerated() {
      guard tokens[Int(t)].kind == .ident else { return nil }
      let id = identKey(t)
      switch k {
      case 0: key.p0 = id
      case 1: key.p1 = id
      case 2: key.p2 = id
      default: key.p3 = id
      }
    }
    return key
  }

  /// What a table reference (not a stage or file) names: its schema table, or its
  /// interned id when the schema does not have it (with a message when the name fits
  /// several schema tables). Resolved once per spelling unless a learnt table may
  /// change the answer.
  mutating func resolveTable(_ tableRef: Int32) -> RefInfo {
    let cacheKey = refKey(tableRef)
    if let cacheKey, let hit = refCache[cacheKey] { return hit }
    let written = writtenParts(tableRef)
    var info = RefInfo(schemaIndex: -1, table: -1, ambiguity: nil)
    if let idx = schema.lookupIndex(written) {
      info.schemaIndex = idx
    } else {
      if !written.isEmpty && schema.count > 0 {
        let cands = schema.candidates(written)
        if cands.count > 1 {
          let names = cands.map { schema.allTables[Int($0)].parts.joined(separator: ".") }.sorted()
          info.ambiguity =
            "table name '\(written.joined(separator: "."))' matches several tables of the schema: \(names.joined(separator: ", "))"
        }
      }
      info.table = tableId(normalizedParts(tableRef))
    }
    if let cacheKey, let last = written.last {
      refCache[cacheKey] = info
      refLasts.insert(key(last))
    }
    return info
  }

  /// The table a statement writes: its schema index (nil when it is not in the schema)
  /// and its name (as the schema spells it, else as written, unquoted parts folded).
  mutating func resolveTarget(_ tableRef: Int32) -> (schemaIndex: Int32?, parts: [String]) {
    guard tableRef >= 0 else { return (nil, []) }
    if nodes[Int(tableRef)].flags & 1 == 0, let key = refKey(tableRef), let hit = refCache[key] {
      if hit.schemaIndex >= 0 { return (hit.schemaIndex, schema.allTables[Int(hit.schemaIndex)].parts) }
      return (nil, tableParts[Int(hit.table)])
    }
    if let idx = schema.lookupIndex(writtenParts(tableRef)) { return (idx, schema.allTables[Int(idx)].parts) }
    return (nil, normalizedParts(tableRef))
  }

  mutating func rename(_ rel: inout Relation, with names: ArraySlice<Int32>) {
    guard !names.isEmpty else { return }
    var i = 0
    for t in names {
      while i < rel.columns.count && rel.columns[i].starOrigins != nil { i += 1 }
      guard i < rel.columns.count else { break }
      let id = ident(t)
      rel.columns[i].name = id.text
      rel.columns[i].key = identKey(t)
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
        let uses = selfReferences
        var rel = analyzeQuery(cte.a, parent: parent)
        rename(&rel, with: listOf(cte.b))
        if recursive && selfReferences > uses {
          rel = recursiveFixedPoint(cte, from: rel, parent: parent)
        }
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
          for s in rel.columns[ordinal - 1].sources { srcs.append(s.with(.sort)) }
          continue
        }
        if let scope {
          scope.aliasMode = .first
          collect(e, scope, .sort, &srcs)
        } else if let named = outputColumn(rel, e) {
          for s in named.sources { srcs.append(s.with(.sort)) }
        } else {
          collect(e, Scope(parent: parent), .sort, &srcs)
        }
      }
      rel.indirect.append(contentsOf: srcs)
    }
    ctes.removeSubrange(mark...)
    rel.indirect = Analyzer.normalize(rel.indirect)
    return rel
  }

  /// A recursive CTE (the last of `ctes`) whose first pass, `first`, read itself as a
  /// table of unknown columns: the body is analysed again with the CTE standing for the
  /// previous pass's relation, so that the recursive member's sources flow into the
  /// output columns, until the sources stop growing (they only grow, and there are
  /// finitely many) or `maxRecursivePasses` passes. Each pass is a loop iteration, not a
  /// recursion.
  mutating func recursiveFixedPoint(_ cte: Node, from first: Relation, parent: Scope?) -> Relation {
    var rel = first
    for _ in 1..<Analyzer.maxRecursivePasses {
      ctes[ctes.count - 1].rel = rel
      ctes[ctes.count - 1].selfRef = false
      var next = analyzeQuery(cte.a, parent: parent)
      rename(&next, with: listOf(cte.b))
      var changed = false
      for i in next.columns.indices where i < rel.columns.count {
        let merged = Analyzer.normalize(rel.columns[i].sources + next.columns[i].sources)
        if merged != rel.columns[i].sources {
          rel.columns[i].sources = merged
          changed = true
        }
      }
      let indirect = Analyzer.normalize(rel.indirect + next.indirect)
      if indirect != rel.indirect {
        rel.indirect = indirect
        changed = true
      }
      if !changed { break }
    }
    return rel
  }

  mutating func outputColumn(_ rel: Relation, _ e: Int32) -> RelColumn? {
    let n = nodes[Int(e)]
    guard n.kind == .column, n.listCount == 1 else { return nil }
    let t = lists[Int(n.listStart)]
    guard let i = findColumn(rel, identKey(t), exact: strictSpelling(t)) else { return nil }
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
            let name = "column\(i + 1)"
            rel.columns.append(RelColumn(name: name, key: key(name), sources: s))
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
            for s in c.sources { result.indirect.append(s.with(Analyzer.indirectOr(s.transform, .filter))) }
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
              result.append(c)
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
      let (name, k) = outputName(item)
      var column = RelColumn(name: name, key: k, sources: s)
      column.quoted = outputNameIsQuoted(item)
      rel.columns.append(column)
      if item.tok >= 0 { scope.aliases.append((key: k, tok: item.tok, sources: s)) }
    }
    scope.aliasMode = dialect.whereSeesSelectAliases ? .after : .none
    if core.whereExpr >= 0 { collect(core.whereExpr, scope, .filter, &indirect) }
    scope.aliasMode = .after
    for g in listOf(core.groupBy) {
      if let ordinal = ordinalValue(g), ordinal >= 1, ordinal <= rel.columns.count {
        for s in rel.columns[ordinal - 1].sources { indirect.append(s.with(.groupBy)) }
      } else {
        collect(g, scope, .groupBy, &indirect)
      }
    }
    if core.groupByAll {
      for c in rel.columns where !c.sources.contains(where: { $0.transform == .aggregation }) {
        for s in c.sources where !s.transform.isIndirect { indirect.append(s.with(.groupBy)) }
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
  func outputNameIsQuoted(_ item: Node) -> Bool {
    if item.tok >= 0 { return isQuoted(item.tok) }
    let e = nodes[Int(item.a)]
    if e.kind == .column, e.listCount > 0 { return isQuoted(lists[Int(e.listStart + e.listCount - 1)]) }
    return true
  }

  /// True when an identifier token is quoted (a quoted identifier or a string).
  func isQuoted(_ tok: Int32) -> Bool {
    let k = tokens[Int(tok)].kind
    return k == .quotedIdent || k == .string
  }

  /// For a quoted name that differs from its folded form in a dialect where quoting
  /// makes names case-sensitive (Snowflake, PostgreSQL): the exact spelling to match.
  func strictSpelling(_ tok: Int32) -> String? {
    guard tok >= 0, dialect.quotedIsCaseSensitive, isQuoted(tok) else { return nil }
    let text = ident(tok).text
    return text != dialect.fold(text) ? text : nil
  }

  /// The column of `r` with key `k` (and, when `exact` is set, that stored spelling).
  func findColumn(_ r: Relation, _ k: Int32, exact: String?) -> Int? {
    guard let exact else { return r.find(k) }
    for (i, c) in r.columns.enumerated() where c.starOrigins == nil && c.key == k {
      if (c.quoted ? c.name : dialect.fold(c.name)) == exact { return i }
    }
    return nil
  }

  /// The output name of an unaliased or aliased select item, and its key.
  mutating func outputName(_ item: Node) -> (String, Int32) {
    if item.tok >= 0 { return (ident(item.tok).text, identKey(item.tok)) }
    let e = nodes[Int(item.a)]
    if e.kind == .column, e.listCount > 0 {
      let t = lists[Int(e.listStart + e.listCount - 1)]
      return (ident(t).text, identKey(t))
    }
    if e.kind == .cast, e.tok >= 0, tokens[Int(e.tok)].kind == .doubleColon {
      let inner = nodes[Int(e.a)]
      if inner.kind == .column, inner.listCount > 0 {
        let t = lists[Int(inner.listStart + inner.listCount - 1)]
        return (ident(t).text, identKey(t))
      }
    }
    // The expression's SQL text, whitespace collapsed.
    guard item.c >= 0, item.d > item.c else { return ("?", key("?")) }
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
    let name = String(decoding: out, as: UTF8.self)
    return (name, key(name))
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
        for t in using { coalesce(identKey(t), t, scope, &indirect) }
      } else if join.flags & JoinFlags.natural != 0 {
        var leftKeys: Set<Int32> = []
        var unknown = false
        for i in 0..<leftCount {
          guard let r = scope.items[i].rel, !r.hasMarkers else { unknown = true; continue }
          for c in r.columns { leftKeys.insert(c.key) }
        }
        for i in leftCount..<scope.items.count {
          guard let r = scope.items[i].rel, !r.hasMarkers else { unknown = true; continue }
          for c in r.columns where leftKeys.contains(c.key) { coalesce(c.key, -1, scope, &indirect, name: c.name) }
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

  /// Merges column `k` of the scope's items (USING / NATURAL): named by token `nameTok`
  /// (matched as the dialect compares names: a quoted name exactly where quoting is
  /// case-sensitive), or, for NATURAL, unquoted `name`. The merged column takes the
  /// spelling of the first item's column (its stored name), else the name as written.
  mutating func coalesce(_ k: Int32, _ nameTok: Int32, _ scope: Scope, _ indirect: inout [Src], name: String = "") {
    var srcs: [Src] = []
    let exact = strictSpelling(nameTok)
    var merged: (name: String, quoted: Bool)?
    for i in scope.items.indices {
      switch lookup(k, nameTok, in: scope.items[i]) {
      case .certain(let s), .maybe(let s):
        srcs.append(contentsOf: s)
        if let r = scope.items[i].rel, let ci = findColumn(r, k, exact: exact) {
          scope.hide(ci, in: i)
          if merged == nil { merged = (r.columns[ci].name, r.columns[ci].quoted) }
        }
      default: break
      }
    }
    if let c = scope.coalescedIndex(k, exact: exact, dialect) {
      srcs.append(contentsOf: scope.coalesced[c].sources)
      scope.coalesced[c].sources = Analyzer.normalize(srcs)
    } else {
      let written = nameTok >= 0 ? ident(nameTok) : (name, false)
      let m = merged ?? written
      scope.coalesced.append((key: k, name: m.name, quoted: m.quoted, sources: Analyzer.normalize(srcs)))
    }
    for s in srcs { indirect.append(s.with(.join)) }
  }

  /// The relation of schema table `idx` (one source per column) and its table id, built
  /// once per text.
  mutating func schemaRelation(_ idx: Int32) -> (Int32, Relation) {
    if Int(idx) < schemaRels.count, let r = schemaRels[Int(idx)] { return (schemaTableOf[Int(idx)], r) }
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
    if schemaRels.count <= Int(idx) {
      schemaRels.append(contentsOf: repeatElement(nil, count: Int(idx) + 1 - schemaRels.count))
      schemaTableOf.append(contentsOf: repeatElement(-1, count: Int(idx) + 1 - schemaTableOf.count))
    }
    schemaRels[Int(idx)] = rel
    schemaTableOf[Int(idx)] = tid
    return (tid, rel)
  }

  /// The interned lower-cased parts of a table reference as written (a string or, in
  /// BigQuery, a quoted name split at its dots).
  mutating func writtenKeys(_ tableRef: Int32) -> [Int32] {
    let n = nodes[Int(tableRef)]
    var out: [Int32] = []
    out.reserveCapacity(Int(n.listCount))
    for t in list(n) {
      let kind = tokens[Int(t)].kind
      if kind == .string || (dialect.quotedNamesSplitAtDots && kind == .quotedIdent) {
        let text = ident(t).text
        if !text.isEmpty {
          for p in text.split(separator: ".") { out.append(key(String(p))) }
          continue
        }
      }
      out.append(identKey(t))
    }
    return out
  }

  mutating func addPrimary(_ i: Int32, _ scope: Scope, _ indirect: inout [Src], addToReads: Bool) {
    let n = nodes[Int(i)]
    if stack.exhausted {
      diag(
        "sql-unsupported", "FROM items nested too deeply to analyse; the inner ones are left out", at: max(n.tok, 0),
        hint: "split the statement into CTEs")
      return
    }
    let alias: Int32 = n.tok >= 0 && n.kind != .join ? n.tok : -1
    let aliasKey: Int32? = alias >= 0 ? identKey(alias) : nil
    switch n.kind {
    case .tableRef:
      let lower = writtenKeys(i)
      if lower.count == 1, n.flags & 1 == 0, let cte = ctes.last(where: { $0.key == lower[0] }) {
        var rel = cte.rel
        rename(&rel, with: listOf(n.d))
        indirect.append(contentsOf: rel.indirect)
        if cte.selfRef { selfReferences += 1 }
        scope.add(
          Item(
            aliasKey: aliasKey ?? lower[0], hasExplicitAlias: aliasKey != nil, nameParts: lower, displayTok: alias,
            displayRef: i, rel: rel, selfRef: cte.selfRef))
        return
      }
      var item = Item(
        aliasKey: aliasKey ?? (lower.last ?? key("")), hasExplicitAlias: aliasKey != nil, nameParts: lower,
        displayRef: i)
      if n.flags & 1 != 0 {
        item.table = tableId(normalizedParts(i))
      } else {
        let info = resolveTable(i)
        if info.schemaIndex >= 0 {
          let (tid, rel) = schemaRelation(info.schemaIndex)
          item.table = tid
          var r = rel
          if n.d >= 0 { rename(&r, with: listOf(n.d)) }
          item.rel = r
        } else {
          if let message = info.ambiguity {
            diag(
              "sql-unknown-schema", message, at: list(n).first ?? 0,
              hint: "qualify the name with its schema (and database)")
          }
          item.table = info.table
        }
      }
      if addToReads { reads.insert(item.table) }
      scope.add(item)
    case .derived:
      let lateral = n.flags & 1 != 0
      var rel = analyzeQuery(n.a, parent: lateral ? scope : scope.parent)
      rename(&rel, with: listOf(n.d))
      indirect.append(contentsOf: rel.indirect)
      scope.add(
        Item(aliasKey: aliasKey ?? key(""), hasExplicitAlias: aliasKey != nil, displayTok: alias, rel: rel))
    case .tableFunction:
      addTableFunction(n, alias: alias, scope, &indirect)
    case .pivot:
      let inner = Scope(parent: scope.parent)
      var innerIndirect: [Src] = []
      addPrimary(n.a, inner, &innerIndirect, addToReads: addToReads)
      indirect.append(contentsOf: innerIndirect)
      let source = inner.items.last
      var fallback: [Src]?
      var rel =
        n.flags & 1 != 0
        ? unpivotRelation(n, inner, source) : pivotRelation(n, inner, source, &indirect, &fallback)
      rename(&rel, with: listOf(n.d))
      rel.buildIndex()
      var item = Item(
        aliasKey: aliasKey ?? source?.aliasKey ?? key(""), hasExplicitAlias: aliasKey != nil, displayTok: alias,
        rel: rel)
      if aliasKey == nil, let source {
        item.nameParts = source.nameParts
        item.displayTok = source.displayTok
        item.displayRef = source.displayRef
        item.label = source.label
        item.fixed = source.fixed
      }
      item.fallback = fallback
      scope.add(item)
    case .join:
      addJoinTree(i, scope, &indirect)
    default:
      break
    }
  }

  /// The columns of `source PIVOT (...)`: the source's columns that neither an aggregate
  /// nor a FOR clause reads (they group the rows; a PIVOT's own GROUP BY names them
  /// instead), then one column per IN value (per combination of values across FOR
  /// clauses, and per aggregate when there are several), named as the dialect names
  /// them. Each pivoted column aggregates its aggregate's sources, steered by the FOR
  /// columns. When the values are chosen at run time (`IN (ANY)`, a subquery) the
  /// pivoted columns are unknown: `fallback` then stands for any other name.
  mutating func pivotRelation(
    _ n: Node, _ inner: Scope, _ source: Item?, _ indirect: inout [Src], _ fallback: inout [Src]?
  ) -> Relation {
    var rel = Relation()
    let aggregates = Array(listOf(n.b))
    var specs: [Node] = []
    var groupBy: Int32 = -1
    for c in listOf(n.c) {
      let cn = nodes[Int(c)]
      if cn.kind == .pivotIn { specs.append(cn) } else { groupBy = c }
    }
    var aggregateSources: [[Src]] = []
    var read: Set<Int32> = []
    for a in aggregates {
      var s: [Src] = []
      collect(nodes[Int(a)].a, inner, .identity, &s)
      aggregateSources.append(Analyzer.normalize(s))
      columnKeys(nodes[Int(a)].a, into: &read)
    }
    var steering: [Src] = []
    for spec in specs {
      for e in listOf(spec.a) {
        collect(e, inner, .conditional, &steering)
        columnKeys(e, into: &read)
      }
      if spec.c >= 0 { _ = analyzeQuery(spec.c, parent: inner.parent) }
    }
    steering = Analyzer.normalize(steering)
    // The grouping columns.
    if groupBy >= 0 {
      for g in listOf(groupBy) {
        var s: [Src] = []
        collect(g, inner, .identity, &s)
        s = Analyzer.normalize(s)
        for x in s where !x.transform.isIndirect { indirect.append(x.with(.groupBy)) }
        let e = nodes[Int(g)]
        if e.kind == .column, e.listCount > 0 {
          let t = lists[Int(e.listStart + e.listCount - 1)]
          var c = RelColumn(name: ident(t).text, key: identKey(t), sources: s)
          c.quoted = isQuoted(t)
          rel.columns.append(c)
        }
      }
    } else if let r = source?.rel {
      for c in r.columns {
        if c.starOrigins == nil && read.contains(c.key) { continue }
        rel.columns.append(c)
        for x in c.sources where !x.transform.isIndirect { indirect.append(x.with(.groupBy)) }
      }
    } else if let source, source.table >= 0 {
      rel.columns.append(
        RelColumn(
          name: "*", key: starKey, sources: [Src(id: srcId(source.table, "*"), transform: .identity, masked: false)],
          starOrigins: [source.table]))
    }
    // The pivoted columns.
    let all = aggregateSources.reduce(into: steering) { $0.append(contentsOf: $1) }
    guard !specs.isEmpty, specs.allSatisfy({ $0.b >= 0 }) else {
      let dynamic = specs.first { $0.b < 0 }
      diag(
        "sql-unknown-schema",
        "PIVOT values chosen when the query runs (IN ANY, a subquery, or no IN list): its pivoted columns are not known",
        at: dynamic?.tok ?? n.tok, hint: "list the values: IN ('a', 'b', ...)")
      let any = Analyzer.normalize(all.map { $0.transform.isIndirect ? $0 : $0.with(.aggregation) })
      fallback = any
      rel.columns.append(RelColumn(name: "*", key: starKey, sources: any, starOrigins: []))
      return rel
    }
    var names: [String] = [""]
    for spec in specs {
      var next: [String] = []
      for prefix in names {
        for v in listOf(spec.b) {
          let name = pivotValueName(nodes[Int(v)])
          next.append(prefix.isEmpty ? name : prefix + "_" + name)
        }
      }
      names = next
      if names.count > 100_000 { break }
    }
    for value in names {
      if aggregates.isEmpty {
        // DuckDB's PIVOT without USING counts the rows of each value.
        var c = RelColumn(name: value, key: key(value), sources: steering)
        c.quoted = true
        rel.columns.append(c)
      }
      for (k, a) in aggregates.enumerated() {
        let aliasTok = nodes[Int(a)].tok
        let alias = aliasTok >= 0 ? ident(aliasTok).text : nil
        let name: String
        switch dialect {
        case .bigquery: name = alias.map { $0 + "_" + value } ?? value
        case .databricks:
          name = aggregates.count > 1 ? value + "_" + (alias ?? outputName(nodes[Int(a)]).0) : value
        default:
          name = aggregates.count > 1 || alias != nil ? value + "_" + (alias ?? outputName(nodes[Int(a)]).0) : value
        }
        var sources = aggregateSources[k].map { $0.transform.isIndirect ? $0 : $0.with(.aggregation) }
        sources.append(contentsOf: steering)
        var c = RelColumn(name: name, key: key(name), sources: Analyzer.normalize(sources))
        c.quoted = true
        rel.columns.append(c)
      }
    }
    return rel
  }

  /// The name a PIVOT gives the column of one IN value: its alias, else the value as
  /// written (Snowflake keeps a string's quotes: `'JAN'`; the others drop them).
  mutating func pivotValueName(_ item: Node) -> String {
    if item.tok >= 0 { return ident(item.tok).text }
    let e = nodes[Int(item.a)]
    if e.kind == .literal, tokens[Int(e.tok)].kind == .string, dialect != .snowflake {
      return ident(e.tok).text
    }
    return outputName(item).0
  }

  /// The columns of `source UNPIVOT (values FOR names IN (columns))`: the source's
  /// columns that the IN list does not name, then the name columns (their values are
  /// column names: no sources), then the value columns, each an identity of the IN
  /// columns at its position.
  mutating func unpivotRelation(_ n: Node, _ inner: Scope, _ source: Item?) -> Relation {
    var rel = Relation()
    let valueNames = Array(listOf(n.b))
    var nameColumns: [Int32] = []
    var valueSources = [[Src]](repeating: [], count: max(1, valueNames.count))
    var unpivoted: Set<Int32> = []
    for c in listOf(n.c) {
      let spec = nodes[Int(c)]
      guard spec.kind == .pivotIn else { continue }
      nameColumns.append(contentsOf: listOf(spec.a))
      for v in listOf(spec.b) {
        let e = nodes[Int(nodes[Int(v)].a)]
        let parts = e.kind == .list ? Array(list(e)) : [nodes[Int(v)].a]
        for (k, part) in parts.enumerated() {
          columnKeys(part, into: &unpivoted)
          if k < valueSources.count { collect(part, inner, .identity, &valueSources[k]) }
        }
      }
    }
    if let r = source?.rel {
      for c in r.columns where c.starOrigins != nil || !unpivoted.contains(c.key) { rel.columns.append(c) }
    } else if let source, source.table >= 0 {
      rel.columns.append(
        RelColumn(
          name: "*", key: starKey, sources: [Src(id: srcId(source.table, "*"), transform: .identity, masked: false)],
          starOrigins: [source.table]))
    }
    // DuckDB's UNPIVOT statement without INTO names them `name` and `value`.
    if nameColumns.isEmpty { rel.columns.append(RelColumn(name: "name", key: key("name"), sources: [])) }
    for t in nameColumns {
      var c = RelColumn(name: ident(t).text, key: identKey(t), sources: [])
      c.quoted = isQuoted(t)
      rel.columns.append(c)
    }
    if valueNames.isEmpty {
      rel.columns.append(RelColumn(name: "value", key: key("value"), sources: Analyzer.normalize(valueSources[0])))
    }
    for (k, t) in valueNames.enumerated() {
      var c = RelColumn(name: ident(t).text, key: identKey(t), sources: Analyzer.normalize(valueSources[k]))
      c.quoted = isQuoted(t)
      rel.columns.append(c)
    }
    return rel
  }

  /// The keys of the column names an expression reads (last name parts), outside
  /// subqueries, walked without recursion.
  mutating func columnKeys(_ root: Int32, into keys: inout Set<Int32>) {
    var work: [Int32] = [root]
    while let i = work.popLast() {
      guard i >= 0 else { continue }
      let e = nodes[Int(i)]
      switch e.kind {
      case .column:
        if e.listCount > 0 { keys.insert(identKey(lists[Int(e.listStart + e.listCount - 1)])) }
      case .selectItem, .inQuery, .orderItem, .namedArg, .cast, .unary:
        work.append(e.a)
      case .binary, .window:
        work.append(e.a)
        work.append(e.b)
      case .between:
        work.append(e.a)
        work.append(e.b)
        work.append(e.c)
      case .function, .caseExpr, .inList, .access, .list:
        work.append(e.a)
        work.append(e.b)
        work.append(e.c)
        work.append(contentsOf: list(e))
      default:
        continue
      }
    }
  }

  mutating func addTableFunction(_ n: Node, alias: Int32, _ scope: Scope, _ indirect: inout [Src]) {
    let fnode = nodes[Int(n.a)]
    var argSrcs: [Src] = []
    let isUnnest = n.flags & 2 != 0
    var name = key("")
    let flatten = key("flatten")
    if isUnnest {
      for e in list(fnode) { collect(e, scope, .transformation, &argSrcs) }
      name = key("unnest")
    } else {
      // TABLE(FLATTEN(...)) wraps the function; TABLE(expr) reads the expression.
      if fnode.kind == .function {
        name = identKey(fnode.tok)
        var inputArg: Int32 = -1
        for (k, arg) in list(fnode).enumerated() {
          let a = nodes[Int(arg)]
          if a.kind == .namedArg {
            if identKey(a.tok) == key("input") { inputArg = a.a }
          } else if k == 0 && name == flatten {
            inputArg = arg
          }
        }
        if name == flatten && inputArg >= 0 {
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
    func column(_ x: String, _ k: Int32, _ s: [Src]) { rel.columns.append(RelColumn(name: x, key: k, sources: s)) }
    if name == flatten {
      for c in SQLNames.flattenColumns { column(c, key(c), c == "SEQ" ? [] : argSrcs) }
    } else if isUnnest {
      let cols = listOf(n.d)
      if !cols.isEmpty {
        for t in cols { column(ident(t).text, identKey(t), argSrcs) }
      } else if alias >= 0 {
        column(ident(alias).text, identKey(alias), argSrcs)
      } else {
        column("unnest", name, argSrcs)
      }
      if n.b >= 0 { column(ident(n.b).text, identKey(n.b), []) }
    } else {
      for t in listOf(n.d) { column(ident(t).text, identKey(t), argSrcs) }
    }
    rel.buildIndex()
    var item = Item(
      aliasKey: alias >= 0 ? identKey(alias) : name, hasExplicitAlias: alias >= 0, nameParts: [name],
      displayTok: alias, label: name)
    if !rel.columns.isEmpty { item.rel = rel }
    if name != flatten && !isUnnest { item.fallback = argSrcs }
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
    var positions: [Int32: Int] = [:]
    mutating func add(_ name: String, _ k: Int32, _ s: [Src]) {
      if let i = positions[k] {
        rel.columns[i].sources.append(contentsOf: s)
      } else {
        rel.columns.append(RelColumn(name: name, key: k, sources: s))
        positions[k] = rel.columns.count - 1
      }
    }

    /// The relation, sources normalised, with `indirect` as its indirect sources.
    func finished(_ indirect: [Src]) -> Relation {
      var out = rel
      for i in out.columns.indices { out.columns[i].sources = Analyzer.normalize(out.columns[i].sources) }
      out.indirect = Analyzer.normalize(indirect)
      return out
    }
  }

  /// Adds `SET name = value` assignments (a `.list` of name-token/value nodes) to `out`.
  mutating func assign(_ assignments: ArraySlice<Int32>, _ scope: Scope, _ out: inout Assigned) {
    for a in assignments {
      let an = nodes[Int(a)]
      var s: [Src] = []
      collect(an.a, scope, .identity, &s)
      out.add(ident(an.tok).text, identKey(an.tok), s)
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
          let name = display(item)
          diag(
            "sql-unknown-schema", "cannot expand '*' over '\(name)': its columns are unknown", at: clause.tok,
            hint: "add '\(name)' to the schema")
        }
        continue
      }
      if clause.flags & 8 != 0 {
        let cols = listOf(clause.b)
        for (i, v) in listOf(clause.c).enumerated() {
          var s: [Src] = []
          collect(v, scope, .identity, &s)
          if i < cols.count {
            let t = cols[cols.startIndex + i]
            out.add(ident(t).text, identKey(t), s)
          } else {
            let name = "column\(i + 1)"
            out.add(name, key(name), s)
          }
        }
        continue
      }
      assign(list(clause), scope, &out)
    }
    return out.finished(indirect)
  }

  mutating func analyzeUpdate(_ n: Node) -> Relation {
    let scope = Scope(parent: nil)
    addTarget(n.a, scope)
    var indirect: [Src] = []
    for item in listOf(n.b) { addJoinTree(item, scope, &indirect) }
    var out = Assigned()
    assign(list(n), scope, &out)
    if n.c >= 0 { collect(n.c, scope, .filter, &indirect) }
    return out.finished(indirect)
  }

  // MARK: Stars

  mutating func expandStar(_ starIndex: Int32, _ scope: Scope) -> [RelColumn] {
    let star = nodes[Int(starIndex)]
    let qualifier = list(star).map { identKey($0) }
    var cols: [RelColumn] = []
    var targets: [Int] = []
    if qualifier.isEmpty {
      targets = Array(scope.items.indices)
      for c in scope.coalesced {
        cols.append(RelColumn(name: c.name, key: c.key, sources: c.sources, quoted: c.quoted))
      }
    } else {
      // Only an item of this SELECT's own FROM clause can be expanded.
      if let i = findQualified(qualifier[...], in: scope) { targets = [i] }
      if targets.isEmpty {
        let written = qualifier.map { names.text($0) }.joined(separator: ".")
        diag(
          "sql-unresolved-column", "no table or alias '\(written)' for '\(written).*'",
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
        for (ci, c) in r.columns.enumerated() where !(qualifier.isEmpty && item.hidden.contains(Int32(ci))) {
          var c = c
          if c.starOrigins != nil && !qualifier.isEmpty { c.name = "\(display(item)).*" }
          cols.append(c)
        }
      } else if item.table >= 0 {
        let name = tableParts[Int(item.table)].joined(separator: ".")
        diag(
          "sql-unknown-schema", "cannot expand '*' over '\(name)': its columns are unknown",
          at: star.tok, hint: "add '\(name)' to the schema (a catalog.json, or its upstream model's SQL)")
        let label = qualifier.isEmpty ? "*" : "\(display(item)).*"
        cols.append(
          RelColumn(
            name: label, key: starKey, sources: [Src(id: srcId(item.table, "*"), transform: .identity, masked: false)],
            starOrigins: [item.table]))
      } else {
        let shown = display(item)
        let label = qualifier.isEmpty ? "*" : "\(shown).*"
        diag(
          "sql-unknown-schema", "cannot expand '*' over '\(shown)': its columns are unknown",
          at: star.tok, hint: "select the columns by name")
        cols.append(RelColumn(name: label, key: starKey, sources: item.fallback ?? [], starOrigins: []))
      }
    }
    // EXCLUDE / EXCEPT.
    let excluded = listOf(star.a).map { identKey($0) }
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
      if let i = cols.firstIndex(where: { $0.starOrigins == nil && $0.key == old }) {
        cols[i].name = ident(pairs[p + 1]).text
        cols[i].key = identKey(pairs[p + 1])
      }
      p += 2
    }
    return cols
  }

  // MARK: Name resolution

  /// The item of `scope` that qualifier `q` (interned keys) names: an alias, or the
  /// last parts of a table's name.
  func findQualified(_ q: ArraySlice<Int32>, in scope: Scope) -> Int? {
    guard let last = q.last else { return nil }
    var found: Int?
    scope.withAlias(last) { c in
      if q.count == 1
        || (!scope.items[c].hasExplicitAlias && scope.items[c].nameParts.count >= q.count
          && scope.items[c].nameParts[(scope.items[c].nameParts.count - q.count)...].elementsEqual(q))
      {
        found = c
        return true
      }
      return false
    }
    return found
  }

  /// Looks up the column with key `k` in one item; `nameTok` is the token that names
  /// it (-1 when the name is unquoted, such as a USING or NATURAL column).
  mutating func lookup(_ k: Int32, _ nameTok: Int32, in item: Item) -> ItemLookup {
    let quoted = nameTok >= 0 && isQuoted(nameTok)
    if item.selfRef { return .maybe([]) }
    if let r = item.rel {
      if let i = findColumn(r, k, exact: strictSpelling(nameTok)) { return .certain(r.columns[i].sources) }
      var origin: Int32 = -1
      var fallbacks: [Src] = []
      var marker = false
      for c in r.columns where c.starOrigins != nil {
        marker = true
        if let o = c.starOrigins, !o.isEmpty {
          for t in o where t != origin {
            if origin >= 0 { return .ambiguous }
            origin = t
          }
        } else {
          fallbacks.append(contentsOf: c.sources)
        }
      }
      if marker {
        if origin >= 0 {
          return .maybe([
            quoted
              ? Src(id: srcId(origin, ident(nameTok).text), transform: .identity, masked: false)
              : unquotedSrc(origin, k)
          ])
        }
        return .maybe(fallbacks)
      }
      if let f = item.fallback { return .maybe(f.map { $0.under(.transformation) }) }
      if item.table >= 0 && !quoted && nameClass(k) & NameClass.metadata != 0 {
        return .certain([unquotedSrc(item.table, k)])
      }
      return .absent
    }
    if let f = item.fallback { return .maybe(f) }
    if item.table >= 0 {
      if quoted {
        return .maybe([Src(id: srcId(item.table, ident(nameTok).text), transform: .identity, masked: false)])
      }
      return .maybe([unquotedSrc(item.table, k)])
    }
    return .absent
  }

  /// Resolves one column reference (name parts tokens); nil when it cannot be resolved.
  mutating func resolve(_ col: Node, _ scope: Scope) -> [Src]? {
    guard col.listCount > 0 else { return nil }
    let at = lists[Int(col.listStart)]
    if col.listCount == 1 { return resolveSingle(at, scope) }
    let parts = list(col)
    var lower: [Int32] = []
    lower.reserveCapacity(parts.count)
    for t in parts { lower.append(identKey(t)) }
    var s: Scope? = scope
    while let sc = s {
      var k = min(parts.count - 1, 3)
      while k >= 1 {
        if let i = findQualified(lower[0..<k], in: sc) {
          let item = sc.items[i]
          let c = parts[parts.startIndex + k]
          switch lookup(lower[k], c, in: item) {
          case .certain(let srcs), .maybe(let srcs):
            return parts.count > k + 1 ? srcs.map { $0.under(.transformation) } : srcs
          case .ambiguous:
            diag(
              "sql-ambiguous-column",
              "column '\(parts.map { ident($0).text }.joined(separator: "."))' may come from several tables behind '\(display(item))'",
              at: at, hint: "add the tables to the schema so that '*' can be expanded")
            return []
          case .absent:
            let shown = display(item)
            diag(
              "sql-unresolved-column", "column '\(ident(c).text)' not found in '\(shown)'", at: at,
              hint: "check the name against the columns of '\(shown)'")
            return []
          }
        }
        k -= 1
      }
      s = sc.parent
    }
    // Not a qualifier: a struct field access on a column (BigQuery a.b.c, Snowflake v.f).
    if let base = resolveSingle(at, scope, report: false) { return base.map { $0.under(.transformation) } }
    diag(
      "sql-unresolved-column",
      "no table or alias '\(ident(at).text)' for column '\(parts.map { ident($0).text }.joined(separator: "."))'",
      at: at, hint: "name a table or alias of the FROM clause")
    return nil
  }

  /// The sources of the latest SELECT-list alias of `sc` with key `k` (and, when `exact`
  /// is set, that stored spelling).
  mutating func aliasSources(_ k: Int32, _ exact: String?, _ sc: Scope) -> [Src]? {
    for a in sc.aliases.reversed() where a.key == k {
      if exact == nil || spelling(a.tok) == exact { return a.sources }
    }
    return nil
  }

  /// Resolves an unqualified column name (identifier token `tok`) in `scope` and its
  /// enclosing scopes; nil when it cannot be resolved.
  mutating func resolveSingle(_ tok: Int32, _ scope: Scope, report: Bool = true) -> [Src]? {
    let k = identKey(tok)
    let exact = strictSpelling(tok)
    var s: Scope? = scope
    var first = true
    while let sc = s {
      if sc.lambdaParams.contains(k) { return [] }
      if first && sc.aliasMode == .first, let a = aliasSources(k, exact, sc) { return a }
      if let c = sc.coalescedIndex(k, exact: exact, dialect) { return sc.coalesced[c].sources }
      var owners = 0
      var owner = -1
      var column = -1
      sc.withColumn(k) { i, ci in
        if let exact {
          guard let r = sc.items[i].rel, let x = findColumn(r, k, exact: exact) else { return false }
          column = owner < 0 ? x : column
        } else if owner < 0 {
          column = ci
        }
        owners += 1
        if owner < 0 { owner = i }
        return owners > 1
      }
      if owners == 1 { return sc.sources(item: owner, column: column) }
      if owners > 1 {
        if report {
          diag(
            "sql-ambiguous-column", "column '\(ident(tok).text)' is in several tables of the FROM clause", at: tok,
            hint: "qualify it with its table or alias")
        }
        return []
      }
      if first && sc.aliasMode == .after, let a = aliasSources(k, exact, sc) { return a }
      if sc.open.count == 1 {
        let item = sc.items[Int(sc.open[0])]
        switch lookup(k, tok, in: item) {
        case .certain(let x), .maybe(let x): return x
        case .ambiguous:
          if report {
            diag(
              "sql-ambiguous-column",
              "column '\(ident(tok).text)' may come from several tables behind '\(display(item))'",
              at: tok, hint: "add the tables to the schema so that '*' can be expanded")
          }
          return []
        case .absent: break
        }
      } else if sc.open.count > 1 {
        if report {
          var shown = sc.open.prefix(6).map { display(sc.items[Int($0)]) }.sorted()
          if sc.open.count > 6 { shown.append("...") }
          diag(
            "sql-ambiguous-column",
            "column '\(ident(tok).text)' may come from any of \(shown.joined(separator: ", ")): their columns are unknown",
            at: tok, hint: "qualify it with its table or alias, or add the tables to the schema")
        }
        return []
      }
      s = sc.parent
      first = false
    }
    if report {
      // Column without a FROM item that could hold it.
      let hasItems = !scope.items.isEmpty
      let text = ident(tok).text
      diag(
        "sql-unresolved-column",
        hasItems
          ? "column '\(text)' not found in the tables of the FROM clause"
          : "column '\(text)' has no table to come from",
        at: tok, hint: hasItems ? "check the name against the schema" : "add a FROM clause or qualify the name")
    }
    return nil
  }

  /// True when a table of `scope` or an enclosing scope is known to have column `k`.
  func hasKnownColumn(_ k: Int32, _ scope: Scope) -> Bool {
    var s: Scope? = scope
    while let sc = s {
      if sc.hasKnownColumn(k) { return true }
      s = sc.parent
    }
    return false
  }

  /// A Snowflake stage pseudo-column (`METADATA$FILENAME`, unquoted token `tok`) written
  /// without a qualifier: a column of the one table (or stage) read by the nearest SELECT
  /// with a FROM clause. Nil (no source) when that SELECT reads no table; ambiguous when
  /// it reads several.
  mutating func stagePseudoColumn(_ tok: Int32, _ scope: Scope) -> [Src]? {
    var s: Scope? = scope
    while let sc = s, sc.items.isEmpty { s = sc.parent }
    guard let sc = s else { return nil }
    var table: Int32 = -1
    var several = false
    for item in sc.items where item.table >= 0 {
      if table >= 0 { several = true; break }
      table = item.table
    }
    if several {
      diag(
        "sql-ambiguous-column", "pseudo-column '\(ident(tok).text)' may come from several tables of the FROM clause",
        at: tok, hint: "qualify it with its table or alias")
      return []
    }
    return table >= 0 ? [unquotedSrc(table, identKey(tok))] : nil
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
    let bottom = frames.count
    frames.append(Frame(node: root, ctx: base, masked: false, datePart: 0, popLambda: 0))
    @inline(__always) func emit(_ s: [Src], _ ctx: Transform, _ masked: Bool, _ out: inout [Src]) {
      for x in s { out.append(x.under(ctx, masked: masked)) }
    }
    while frames.count > bottom {
      let f = frames.removeLast()
      if f.popLambda > 0 {
        scope.lambdaParams.removeLast(Int(f.popLambda))
        continue
      }
      let n = nodes[Int(f.node)]
      let inner = Analyzer.combine(f.ctx, .transformation)
      @inline(__always) func push(_ i: Int32, _ ctx: Transform, _ masked: Bool, datePart: UInt8 = 0) {
        if i >= 0 { frames.append(Frame(node: i, ctx: ctx, masked: masked, datePart: datePart, popLambda: 0)) }
      }
      switch n.kind {
      case .column:
        if n.listCount == 1 && tokens[Int(lists[Int(n.listStart)])].kind == .ident {
          let t = lists[Int(n.listStart)]
          let k = identKey(t)
          let cls = nameClass(k)
          if f.datePart != 0 && SQLNames.isDatePart(tokens[Int(t)], bytes)
            && !(f.datePart == 2 && hasKnownColumn(k, scope))
          {
            continue
          }
          if cls & NameClass.niladic != 0 && (dialect.niladicKeywordsWin || !hasKnownColumn(k, scope)) { continue }
          if cls & NameClass.metadata != 0 && !hasKnownColumn(k, scope) {
            if let s = stagePseudoColumn(t, scope) { emit(s, f.ctx, f.masked, &out) }
            continue
          }
        }
        if let s = resolve(n, scope) { emit(s, f.ctx, f.masked, &out) }
      case .literal, .star, .windowDef:
        if n.kind == .star && n.listCount > 0 {
          let qualifier = list(n).map { identKey($0) }
          if let i = findQualified(qualifier[...], in: scope) {
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
        let k = identKey(n.tok)
        let cls = nameClass(k)
        let masked = f.masked || cls & NameClass.masking != 0
        let argCtx = Analyzer.combine(f.ctx, cls & NameClass.aggregate != 0 ? .aggregation : .transformation)
        let args = list(n)
        let unit =
          cls & NameClass.dateFunction != 0
          ? SQLNames.dateUnitArgument(names.text(k), count: args.count, dialect: dialect) : nil
        for (j, x) in args.enumerated() {
          push(x, argCtx, masked, datePart: unit.map { $0.index == j ? ($0.expression ? 2 : 1) : 0 } ?? 0)
        }
        push(n.a, Analyzer.indirectOr(f.ctx, .conditional), f.masked)
        if n.c >= 0 { for x in listOf(n.c) { push(x, Analyzer.indirectOr(f.ctx, .sort), f.masked) } }
        if n.b >= 0 { pushWindow(n.b, Analyzer.indirectOr(f.ctx, .window), f.masked, scope) }
      case .window:
        pushWindow(f.node, f.ctx, f.masked, scope)
      case .caseExpr:
        let cond = Analyzer.indirectOr(f.ctx, .conditional)
        push(n.a, cond, f.masked)
        for (j, x) in list(n).enumerated() { push(x, j % 2 == 0 ? cond : inner, f.masked) }
        push(n.b, inner, f.masked)
      case .subquery:
        let rel = analyzeQuery(n.a, parent: scope)
        if let first = rel.columns.first { emit(first.sources, f.ctx, f.masked, &out) }
        for s in rel.indirect { out.append(s.with(Analyzer.indirectOr(f.ctx, s.transform))) }
      case .exists, .inQuery:
        let q = n.kind == .exists ? n.a : n.b
        if n.kind == .inQuery { push(n.a, inner, f.masked) }
        let rel = analyzeQuery(q, parent: scope)
        let cond = Analyzer.indirectOr(f.ctx, .conditional)
        for c in rel.columns { for s in c.sources { out.append(s.with(cond)) } }
        for s in rel.indirect { out.append(s.with(Analyzer.indirectOr(f.ctx, s.transform))) }
      case .lambda:
        let params = list(n).map { identKey($0) }
        frames.append(Frame(node: -1, ctx: f.ctx, masked: false, datePart: 0, popLambda: Int32(params.count)))
        push(n.a, inner, f.masked)
        scope.lambdaParams.append(contentsOf: params)
      default:
        break
      }
    }
  }

  /// Pushes the PARTITION BY and ORDER BY expressions of a window (following named
  /// windows of the WINDOW clause).
  private mutating func pushWindow(_ w: Int32, _ ctx: Transform, _ masked: Bool, _ scope: Scope) {
    var cur = w
    var guardCount = 0
    while cur >= 0 && guardCount < 64 {
      guardCount += 1
      let n = nodes[Int(cur)]
      for x in listOf(n.a) { frames.append(Frame(node: x, ctx: ctx, masked: masked, datePart: 0, popLambda: 0)) }
      for x in listOf(n.b) { frames.append(Frame(node: x, ctx: ctx, masked: masked, datePart: 0, popLambda: 0)) }
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
