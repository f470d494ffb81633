public import LineageCore

/// The shape of SQL statements (``SQLShape``): what each output column computes and
/// which clauses decide the rows, printed canonically and digested, for comparing two
/// versions of a model by what its SQL means rather than how it is written.
///
/// Each output column is printed from the select item that defines it, following `*`
/// and column references through CTEs, derived tables and set operations to the
/// expressions that compute them; a reference to a table's column prints the relation's
/// identity (as the caller's `relation` function names it) and the column, never the
/// alias it was written with. Keywords and function names compare without case,
/// identifiers as the dialect folds them, literals as written; whitespace and comments
/// are gone with the tokens. The column's sources from ``SQLLineage/analyze(_:dialect:schema:)``
/// (relation, column, transform, masking) are digested with the printed expression, so
/// that a reference the printer leaves unqualified (several tables of unknown columns)
/// still counts by what it reads.
///
/// Row-level clauses (WHERE, the relations read and their JOINs, GROUP BY, HAVING,
/// QUALIFY, DISTINCT, LIMIT, set operations) are gathered from the statement's query
/// and every CTE and derived table it reads, in the order they are reached from the
/// top, so that renaming or reordering CTEs changes nothing.
///
/// Bounded: queries reached through FROM are visited with an explicit work list, and
/// the recursion of expressions and of column definitions across CTEs stops at a stack
/// budget (``StackGuard``), printing a marker instead of going deeper.
public enum SQLFingerprint {
  /// The shapes of the statements of `sql`, one per statement of `analysis` (the
  /// result of analysing the same text in the same dialect), in order.
  ///
  /// - Parameters:
  ///   - sql: The SQL text.
  ///   - dialect: Its dialect.
  ///   - analysis: `SQLLineage.analyze` of the same text and dialect.
  ///   - relation: The stable identity of a table named by its folded name parts (a
  ///     node id, say, so that an environment's database or schema names do not count).
  /// - Returns: One shape per statement of `analysis`; when the text has parse errors,
  ///   a single unparsed shape carrying the text's digest.
  public static func shapes(
    _ sql: String, dialect: SQLDialect, analysis: SQLAnalysis, relation: @escaping ([String]) -> String
  ) -> [SQLShape] {
    var text = sql
    let digest = SQLShape.digest(sql.utf8)
    if analysis.hasParseErrors || text.utf8.count > SQLLineage.maxInputBytes {
      return [.unparsed(textDigest: digest)]
    }
    return text.withUTF8 { buf -> [SQLShape] in
      var tokenizer = Tokenizer(bytes: buf, dialect: dialect)
      tokenizer.run()
      var parser = Parser(bytes: buf, tokens: tokenizer.tokens, dialect: dialect)
      parser.stack = StackGuard()
      parser.parseAll()
      guard parser.errors.isEmpty, parser.statements.count == analysis.statements.count else {
        return [.unparsed(textDigest: digest)]
      }
      var builder = ShapeBuilder(parser: parser, relation: relation)
      var out: [SQLShape] = []
      for (k, s) in parser.statements.enumerated() {
        out.append(builder.shape(statement: s, lineage: analysis.statements[k], textDigest: digest))
      }
      return out
    }
  }
}

/// Prints queries canonically over the parser's arena AST; see ``SQLFingerprint``.
struct ShapeBuilder {
  let nodes: [Node]
  let lists: [Int32]
  let selects: [SelectCore]
  let tokens: [Token]
  let bytes: UnsafeBufferPointer<UInt8>
  let dialect: SQLDialect
  let relation: ([String]) -> String
  var stack = StackGuard()

  /// CTE environments: a persistent list (entry index, -1 for none).
  struct EnvEntry {
    var key: String
    var cte: Int32
    var parent: Int32
  }
  var envs: [EnvEntry] = []
  var enterMemo: [QueryKey: (env: Int32, ctes: [(cte: Int32, env: Int32)])] = [:]

  /// What a FROM item is.
  enum SourceKind {
    case table(String)
    case query(Int32, env: Int32, renames: [String])
    case function(Int32)
  }
  struct Source {
    var alias: String
    var kind: SourceKind
  }
  /// The names one SELECT sees: its FROM items, its select-list aliases, its parent.
  struct Scope {
    var parent: Int32
    var env: Int32
    var sources: [Source]
    var select: Int32
    var aliases: [(key: String, item: Int32, index: Int)] = []
  }
  var scopes: [Scope] = []
  /// What defines one output column.
  indirect enum Def {
    case expr(Int32, scope: Int32, index: Int)
    case column(Int32, env: Int32, renames: [String], key: String)
    case open(String)
    case branches([Def])
    case values(Int32, index: Int)
    case missing
  }
  struct Output {
    var key: String?
    var def: Def
  }
  struct QueryKey: Hashable {
    var query: Int32
    var env: Int32
    var parent: Int32
  }
  var outputMemo: [QueryKey: [Output]] = [:]
  struct DefKey: Hashable {
    var query: Int32
    var env: Int32
    var renames: [String]
    var key: String
  }
  var defMemo: [DefKey: String] = [:]
  /// The '(' tokens that open a subquery inside an expression (see `init`).
  let expressionSubqueryParens: Set<Int32>
  /// The byte offset where each line of the text starts.
  let lineStarts: [Int]
  var inProgress: Set<DefKey> = []
  var currentItem: [Int32: Int] = [:]
  var lambdaParams: [String] = []
  var printingFunction: Set<Int32> = []

  init(parser: Parser, relation: @escaping ([String]) -> String) {
    nodes = parser.nodes
    lists = parser.lists
    selects = parser.selects
    tokens = parser.tokens
    bytes = parser.bytes
    dialect = parser.dialect
    self.relation = relation
    // The '(' of each subquery inside an expression (scalar, EXISTS, IN, ANY/ALL):
    // its LIMIT belongs to the expression, not to the statement's rows.
    var parens = Set<Int32>()
    for n in parser.nodes {
      switch n.kind {
      case .subquery where n.tok >= 0 && parser.tokens[Int(n.tok)].kind == .lparen:
        parens.insert(n.tok)
      case .subquery, .exists, .inQuery:
        let q = n.kind == .inQuery ? n.b : n.a
        guard q >= 0 else { continue }
        let first = parser.nodes[Int(q)].tok
        if first > 0, parser.tokens[Int(first) - 1].kind == .lparen { parens.insert(first - 1) }
      default:
        continue
      }
    }
    expressionSubqueryParens = parens
    var starts = [0]
    for (k, b) in parser.bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(k + 1) }
    lineStarts = starts
  }

  // MARK: Tokens and names

  func list(_ index: Int32) -> ArraySlice<Int32> {
    guard index >= 0 else { return [] }
    let n = nodes[Int(index)]
    return lists[Int(n.listStart)..<Int(n.listStart + n.listCount)]
  }

  func listOf(_ n: Node) -> ArraySlice<Int32> { lists[Int(n.listStart)..<Int(n.listStart + n.listCount)] }

  func raw(_ t: Int32) -> String {
    let tok = tokens[Int(t)]
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.end)]), as: UTF8.self)
  }

  /// A name token as the database stores it, compared without case where the dialect
  /// ignores it: unquoted names fold, quoted ones keep their spelling (lower-cased
  /// where quoting does not make names case-sensitive).
  func key(_ t: Int32) -> String {
    guard t >= 0, Int(t) < tokens.count else { return "" }
    let tok = tokens[Int(t)]
    let text = raw(t)
    switch tok.kind {
    case .quotedIdent, .string:
      let inner = text.utf8.count >= 2 ? String(text.dropFirst().dropLast()) : text
      return dialect.quotedIsCaseSensitive ? inner : asciiLowercased(inner)
    default:
      return dialect.quotedIsCaseSensitive ? dialect.fold(text) : asciiLowercased(text)
    }
  }

  /// A key compared without case, for matching names across clauses.
  func loose(_ t: Int32) -> String { asciiLowercased(key(t)) }

  /// A token as printed: keywords and bare words lower-cased, literals as written.
  func word(_ t: Int32) -> String {
    guard t >= 0, Int(t) < tokens.count else { return "" }
    let tok = tokens[Int(t)]
    switch tok.kind {
    case .ident: return asciiLowercased(raw(t))
    case .quotedIdent: return key(t)
    default: return raw(t)
    }
  }

  // MARK: Statements

  mutating func shape(statement s: Int32, lineage: StatementLineage, textDigest: UInt64) -> SQLShape {
    let st = nodes[Int(s)]
    let query = st.b
    let isQuery = query >= 0 && [.query, .select, .setOp, .values].contains(nodes[Int(query)].kind)
    var targetNames: [String] = []
    if st.c >= 0, st.kind == .statement, st.flags != StatementKindRaw.merge.rawValue {
      targetNames = list(st.c).map(loose)
    }
    let outs = isQuery ? outputs(query, env: -1, parent: -1) : []
    var columns: [SQLShape.Column] = []
    var lines: [Int] = []
    let positional = outs.count == lineage.columns.count
    for (k, out) in lineage.columns.enumerated() {
      var text: String
      let name = asciiLowercased(out.name)
      var def: Def?
      if k < targetNames.count, positional {
        def = outs[k].def
      } else if let i = outs.firstIndex(where: { $0.key.map(asciiLowercased) == name }) {
        def = outs[i].def
      } else if positional {
        def = outs[k].def
      }
      if let def {
        text = print(def, key: name)
        lines.append(line(of: def))
      } else {
        text = "?"
        lines.append(0)
      }
      text += "|"
      for src in out.sources {
        text += relation(src.table) + "." + asciiLowercased(src.column) + ":" + src.transform.rawValue
        text += src.masking ? "!m;" : ";"
      }
      columns.append(SQLShape.Column(name: out.name, fingerprint: SQLShape.digest(text.utf8)))
    }
    var clauses: [SQLShape.Clause: UInt64] = [:]
    for (clause, text) in isQuery ? rows(query) : [] where !text.isEmpty {
      clauses[clause] = SQLShape.digest(text.utf8)
    }
    let limits = limitClauses(from: st.tok)
    if !limits.isEmpty { clauses[.limit] = SQLShape.digest(limits.utf8) }
    return SQLShape(columns: columns, clauses: clauses, parsed: true, textDigest: textDigest, columnLines: lines)
  }

  /// The 1-based line of the first token of an output's defining expression, through
  /// `*` and CTE or subquery columns to the select item that computes it; 0 when that
  /// is no one expression (a table's column, set operation branches).
  mutating func line(of output: Def) -> Int {
    var def = output
    for _ in 0..<64 {
      guard case .column(let q, let env, let renames, let key) = def else { break }
      let outs = outputs(q, env: env, parent: -1)
      guard let i = outs.indices.first(where: { (($0 < renames.count ? renames[$0] : outs[$0].key)) == key }) else {
        return 0
      }
      def = outs[i].def
    }
    guard case .expr(let e, _, _) = def, let first = tokenSpan(e)?.first else { return 0 }
    guard Int(first) < tokens.count else { return 0 }
    // The number of line starts at or before the token's offset.
    let offset = Int(tokens[Int(first)].start)
    var lo = 0
    var hi = lineStarts.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if lineStarts[mid] <= offset { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// LIMIT, OFFSET, TOP and FETCH clauses of the statement (or parenthesised query)
  /// starting at token `first`, each with the tokens up to the next clause, sorted (they
  /// are found by token, so their order in the text must not count). Subqueries inside
  /// expressions are skipped: their limits are part of the expression's text.
  func limitClauses(from first: Int32) -> String {
    var found: [String] = []
    var k = Int(max(first, 0))
    var depth = 0
    while k < tokens.count {
      let tok = tokens[k]
      if tok.kind == .eof || (tok.kind == .semicolon && depth == 0) { break }
      if tok.kind == .lparen, expressionSubqueryParens.contains(Int32(k)), k > Int(first) {
        k = closing(k) + 1
        continue
      }
      if tok.kind == .lparen { depth += 1 }
      if tok.kind == .rparen {
        if depth == 0 { break }
        depth -= 1
      }
      if tok.kind == .ident, [.limit, .offset, .top, .fetch].contains(tok.keyword) {
        var s = word(Int32(k))
        var j = k + 1
        while j < tokens.count, j < k + 8 {
          let t = tokens[j]
          if t.kind == .eof || t.kind == .semicolon || t.kind == .rparen || t.kind == .lparen { break }
          if t.kind == .ident, [.select, .from, .union, .intersect, .except, .minus].contains(t.keyword) { break }
          s += " " + word(Int32(j))
          j += 1
        }
        found.append("\(depth):" + s)
      }
      k += 1
    }
    return found.sorted().joined(separator: ";")
  }

  /// The index of the ')' that closes the '(' at `open` (or the last token).
  func closing(_ open: Int) -> Int {
    var depth = 0
    var k = open
    while k < tokens.count, tokens[k].kind != .eof {
      if tokens[k].kind == .lparen { depth += 1 }
      if tokens[k].kind == .rparen {
        depth -= 1
        if depth == 0 { return k }
      }
      k += 1
    }
    return tokens.count - 1
  }

  // MARK: Scopes

  func lookupCTE(_ key: String, env: Int32) -> (cte: Int32, env: Int32)? {
    var e = env
    while e >= 0 {
      let entry = envs[Int(e)]
      if entry.key == key { return (entry.cte, entry.parent) }
      e = entry.parent
    }
    return nil
  }

  /// The environment inside query `q`: its CTEs on top of `env`. Each CTE sees the
  /// ones before it (and itself, for WITH RECURSIVE).
  mutating func enter(_ q: Int32, env: Int32) -> (env: Int32, ctes: [(cte: Int32, env: Int32)]) {
    let n = nodes[Int(q)]
    guard n.kind == .query, n.a >= 0 else { return (env, []) }
    let memoKey = QueryKey(query: q, env: env, parent: 0)
    if let known = enterMemo[memoKey] { return known }
    var e = env
    var ctes: [(Int32, Int32)] = []
    let recursive = n.flags & 1 != 0
    for c in list(n.a) {
      let before = e
      envs.append(EnvEntry(key: loose(nodes[Int(c)].tok), cte: c, parent: e))
      e = Int32(envs.count - 1)
      ctes.append((c, recursive ? e : before))
    }
    // A CTE's environment holds the CTEs before it: entries point at their parents, so
    // looking up from an entry's parent sees exactly those.
    for (c, ce) in ctes { cteEnvs[c] = ce }
    enterMemo[memoKey] = (e, ctes)
    return (e, ctes)
  }

  /// The FROM items of a SELECT, in order (join trees flattened left to right).
  mutating func sources(of core: SelectCore, env: Int32) -> [Source] {
    var out: [Source] = []
    var work = Array(list(core.from).reversed())
    while let item = work.popLast() {
      let n = nodes[Int(item)]
      switch n.kind {
      case .join:
        work.append(n.b)
        work.append(n.a)
      case .tableRef:
        let parts = listOf(n).map(loose)
        let alias = n.tok >= 0 ? loose(n.tok) : parts.last ?? ""
        let renames = list(n.d).map(loose)
        if parts.count == 1, let (cte, cteEnv) = lookupCTE(parts[0], env: env) {
          let cteNode = nodes[Int(cte)]
          let names = renames.isEmpty ? list(cteNode.b).map(loose) : renames
          out.append(
            Source(alias: alias, kind: .query(cteNode.a, env: cteEnvFor(cte, fallback: cteEnv), renames: names)))
        } else {
          out.append(Source(alias: alias, kind: .table(relation(listOf(n).map(key)))))
        }
      case .derived:
        out.append(
          Source(alias: n.tok >= 0 ? loose(n.tok) : "", kind: .query(n.a, env: env, renames: list(n.d).map(loose))))
      case .pivot:
        out.append(Source(alias: n.tok >= 0 ? loose(n.tok) : "", kind: .function(item)))
      default:
        out.append(Source(alias: n.tok >= 0 ? loose(n.tok) : "", kind: .function(item)))
      }
    }
    return out
  }

  /// The environment a CTE's query is read in: the CTEs declared before it.
  var cteEnvs: [Int32: Int32] = [:]
  func cteEnvFor(_ cte: Int32, fallback: Int32) -> Int32 { cteEnvs[cte] ?? fallback }

  // MARK: Outputs

  /// The output columns of query (or body) `q`, read in `env`, with `parent` the scope
  /// of a correlated subquery (-1 for none).
  mutating func outputs(_ q: Int32, env: Int32, parent: Int32) -> [Output] {
    let memoKey = QueryKey(query: q, env: env, parent: parent)
    if let known = outputMemo[memoKey] { return known }
    if stack.exhausted { return [] }
    let n = nodes[Int(q)]
    var result: [Output]
    switch n.kind {
    case .query:
      let inner = enter(q, env: env).env
      result = outputs(n.b, env: inner, parent: parent)
    case .setOp:
      let branches = setBranches(q)
      let each = branches.map { outputs($0, env: env, parent: parent) }
      let first = each.first ?? []
      result = first.indices.map { i in
        Output(key: first[i].key, def: .branches(each.map { i < $0.count ? $0[i].def : .missing }))
      }
    case .values:
      let firstRow = listOf(n).first.map { list($0).count } ?? 0
      result = (0..<firstRow).map { Output(key: "column\($0 + 1)", def: .values(q, index: $0)) }
    case .select:
      result = selectOutputs(n.a, env: env, parent: parent)
    default:
      result = []
    }
    outputMemo[memoKey] = result
    return result
  }

  /// The branches of a chain of set operations, left to right, without recursion.
  func setBranches(_ q: Int32) -> [Int32] {
    var out: [Int32] = []
    var work: [Int32] = [q]
    while let n = work.popLast() {
      let node = nodes[Int(n)]
      if node.kind == .setOp {
        work.append(node.b)
        work.append(node.a)
      } else {
        out.append(n)
      }
    }
    return out
  }

  mutating func scope(select index: Int32, env: Int32, parent: Int32) -> Int32 {
    let core = selects[Int(index)]
    let srcs = sources(of: core, env: env)
    var sc = Scope(parent: parent, env: env, sources: srcs, select: index)
    for (i, item) in list(core.items).enumerated() {
      let it = nodes[Int(item)]
      if it.tok >= 0 { sc.aliases.append((loose(it.tok), item, i)) }
    }
    scopes.append(sc)
    return Int32(scopes.count - 1)
  }

  var scopeMemo: [QueryKey: Int32] = [:]
  mutating func scopeFor(select index: Int32, env: Int32, parent: Int32) -> Int32 {
    let k = QueryKey(query: index, env: env, parent: parent)
    if let s = scopeMemo[k] { return s }
    let s = scope(select: index, env: env, parent: parent)
    scopeMemo[k] = s
    return s
  }

  mutating func selectOutputs(_ index: Int32, env: Int32, parent: Int32) -> [Output] {
    let sc = scopeFor(select: index, env: env, parent: parent)
    let core = selects[Int(index)]
    var out: [Output] = []
    for (i, item) in list(core.items).enumerated() {
      let it = nodes[Int(item)]
      guard it.a >= 0 else { continue }
      let e = nodes[Int(it.a)]
      if e.kind == .star {
        out += starOutputs(e, scope: sc)
        continue
      }
      var name: String?
      if it.tok >= 0 {
        name = loose(it.tok)
      } else if e.kind == .column, let last = listOf(e).last {
        name = loose(last)
      }
      out.append(Output(key: name, def: .expr(it.a, scope: sc, index: i)))
    }
    return out
  }

  mutating func starOutputs(_ star: Node, scope sc: Int32) -> [Output] {
    let qualifier = listOf(star).map(loose)
    var picked: [Source] = []
    for s in scopes[Int(sc)].sources where qualifier.isEmpty || s.alias == qualifier.last {
      picked.append(s)
    }
    let excluded = Set(list(star.a).map(loose))
    var renamed: [String: String] = [:]
    let pairs = Array(list(star.c))
    var k = 0
    while k + 1 < pairs.count {
      renamed[loose(pairs[k])] = loose(pairs[k + 1])
      k += 2
    }
    var replaced: [String: (Int32, Int)] = [:]
    for (i, r) in list(star.b).enumerated() { replaced[loose(nodes[Int(r)].tok)] = (nodes[Int(r)].a, i) }
    var out: [Output] = []
    for s in picked {
      switch s.kind {
      case .query(let q, let env, let renames):
        let inner = outputs(q, env: env, parent: -1)
        for (i, o) in inner.enumerated() {
          let name = i < renames.count ? renames[i] : o.key
          guard let name else {
            out.append(o)
            continue
          }
          if excluded.contains(name) { continue }
          if let (e, index) = replaced[name] {
            out.append(Output(key: name, def: .expr(e, scope: sc, index: -1 - index)))
          } else {
            out.append(
              Output(key: renamed[name] ?? name, def: .column(q, env: env, renames: renames, key: name)))
          }
        }
      case .table(let id):
        out.append(Output(key: nil, def: .open(id)))
      case .function:
        out.append(Output(key: nil, def: .open(s.alias)))
      }
    }
    return out
  }

  // MARK: Definitions

  /// The canonical text of column `key` of query `q`.
  mutating func definition(_ q: Int32, env: Int32, renames: [String], key: String) -> String {
    let dk = DefKey(query: q, env: env, renames: renames, key: key)
    if let known = defMemo[dk] { return known }
    if inProgress.contains(dk) || stack.exhausted { return "…" + key }
    inProgress.insert(dk)
    let outs = outputs(q, env: env, parent: -1)
    var text: String
    var index: Int?
    for (i, o) in outs.enumerated() where (i < renames.count ? renames[i] : o.key) == key {
      index = i
      break
    }
    if let index {
      text = print(outs[index].def, key: key)
    } else {
      let open = outs.compactMap { o -> String? in if case .open(let id) = o.def { return id } else { return nil } }
      text = open.count == 1 ? open[0] + "." + key : "?." + key
    }
    inProgress.remove(dk)
    defMemo[dk] = text
    return text
  }

  mutating func print(_ def: Def, key: String) -> String {
    switch def {
    case .expr(let e, let sc, let index):
      let before = currentItem[sc]
      currentItem[sc] = index
      var s = ""
      expr(e, scope: sc, into: &s)
      currentItem[sc] = before
      return s
    case .column(let q, let env, let renames, let k):
      return "{" + definition(q, env: env, renames: renames, key: k) + "}"
    case .open(let id):
      return id + "." + key
    case .branches(let defs):
      return "U(" + defs.map { print($0, key: key) }.joined(separator: ",") + ")"
    case .values(let v, let index):
      var s = "V("
      for row in listOf(nodes[Int(v)]) {
        let cells = list(row)
        if index < cells.count { expr(cells[cells.startIndex + index], scope: -1, into: &s) }
        s += ","
      }
      return s + ")"
    case .missing:
      return "-"
    }
  }

  // MARK: Column references

  mutating func column(_ parts: [String], scope start: Int32) -> String {
    if parts.count == 1, lambdaParams.contains(parts[0]) { return "λ" + parts[0] }
    var sc = start
    while sc >= 0 {
      let scope = scopes[Int(sc)]
      if parts.count >= 2 {
        let qual = parts[parts.count - 2]
        if let s = scope.sources.first(where: { $0.alias == qual }) {
          return sourceColumn(s, parts[parts.count - 1], scope: sc)
        }
        if let s = scope.sources.first(where: { $0.alias == parts[0] }) {
          return sourceColumn(s, parts[1], scope: sc) + "." + parts.dropFirst(2).joined(separator: ".")
        }
      } else {
        let name = parts[0]
        var hits: [Source] = []
        for s in scope.sources {
          if case .query(let q, let env, let renames) = s.kind {
            let outs = outputs(q, env: env, parent: -1)
            if outs.indices.contains(where: { (($0 < renames.count ? renames[$0] : outs[$0].key) == name) }) {
              hits.append(s)
            }
          }
        }
        if hits.count == 1 { return sourceColumn(hits[0], name, scope: sc) }
        let current = currentItem[sc] ?? Int.max
        if let alias = scope.aliases.last(where: { $0.key == name && $0.index < current }) {
          let item = nodes[Int(alias.item)]
          var s = "("
          let before = currentItem[sc]
          currentItem[sc] = alias.index
          expr(item.a, scope: sc, into: &s)
          currentItem[sc] = before
          return s + ")"
        }
        if scope.sources.count == 1 { return sourceColumn(scope.sources[0], name, scope: sc) }
        if hits.count > 1 { return "?." + name }
      }
      sc = scope.parent
    }
    if parts.count >= 2, let s = scopes.indices.contains(Int(start)) ? scopes[Int(start)].sources.first : nil,
      case .table = s.kind
    {
      return "?." + parts.joined(separator: ".")
    }
    return "?." + parts.joined(separator: ".")
  }

  mutating func sourceColumn(_ s: Source, _ name: String, scope sc: Int32) -> String {
    switch s.kind {
    case .table(let id): return id + "." + name
    case .query(let q, let env, let renames): return "{" + definition(q, env: env, renames: renames, key: name) + "}"
    case .function(let f):
      if printingFunction.contains(f) { return s.alias + "." + name }
      printingFunction.insert(f)
      var text = "F("
      let n = nodes[Int(f)]
      if n.kind == .pivot {
        text += "pivot:" + (n.a >= 0 ? String(n.a) : "") + ":"
        for e in listOf(n) { expr(e, scope: sc, into: &text) }
      } else if n.a >= 0 {
        expr(n.a, scope: sc, into: &text)
      }
      printingFunction.remove(f)
      return text + ")." + name
    }
  }

  // MARK: Expressions

  /// Appends the canonical text of expression `e` read in scope `sc`.
  mutating func expr(_ e: Int32, scope sc: Int32, into s: inout String) {
    guard e >= 0 else {
      s += "_"
      return
    }
    if stack.exhausted {
      s += "…"
      return
    }
    let n = nodes[Int(e)]
    switch n.kind {
    case .column:
      s += sc >= 0 ? column(listOf(n).map(loose), scope: sc) : "?." + listOf(n).map(loose).joined(separator: ".")
    case .literal:
      s += word(n.tok)
    case .unary:
      s += "u" + word(n.tok)
      if n.tok >= 0, tokens[Int(n.tok)].keyword == Keyword.`is` {
        var k = Int(n.tok) + 1
        while k < tokens.count, k < Int(n.tok) + 4, tokens[k].kind == .ident,
          [.not, .null, .true, .false].contains(tokens[k].keyword) || asciiLowercased(raw(Int32(k))) == "unknown"
            || asciiLowercased(raw(Int32(k))) == "nan" || asciiLowercased(raw(Int32(k))) == "json"
        {
          s += " " + word(Int32(k))
          k += 1
        }
      }
      s += "("
      expr(n.a, scope: sc, into: &s)
      s += ")"
    case .binary:
      s += "("
      expr(n.a, scope: sc, into: &s)
      s += " " + (n.tok >= 0 ? word(n.tok) : "and") + binarySuffix(n.tok) + " "
      expr(n.b, scope: sc, into: &s)
      s += ")"
    case .function:
      s += (n.tok >= 0 ? asciiLowercased(raw(n.tok)) : "f") + "("
      if n.flags & 1 != 0 { s += "distinct " }
      for a in listOf(n) {
        expr(a, scope: sc, into: &s)
        s += ","
      }
      s += ")"
      if n.c >= 0 {
        s += " within("
        exprList(n.c, scope: sc, into: &s)
        s += ")"
      }
      if n.a >= 0 {
        s += " filter("
        expr(n.a, scope: sc, into: &s)
        s += ")"
      }
      if n.b >= 0 {
        s += " over"
        expr(n.b, scope: sc, into: &s)
      }
    case .window:
      s += "("
      if n.tok >= 0, tokens[Int(n.tok)].kind != .lparen { s += word(n.tok) + ":" }
      if n.tok >= 0, tokens[Int(n.tok)].kind != .lparen, sc >= 0 { s += namedWindow(n.tok, scope: sc) }
      s += "p:"
      exprList(n.a, scope: sc, into: &s)
      s += " o:"
      exprList(n.b, scope: sc, into: &s)
      if n.d >= 0 { s += " f:" + frameWords(n.d) }
      s += ")"
    case .windowDef:
      s += word(n.tok) + "="
      expr(n.a, scope: sc, into: &s)
    case .orderItem:
      expr(n.a, scope: sc, into: &s)
      s += orderSuffix(n.a)
    case .caseExpr:
      s += "case("
      if n.a >= 0 { expr(n.a, scope: sc, into: &s) }
      for w in listOf(n) {
        s += "|"
        expr(w, scope: sc, into: &s)
      }
      s += "|else "
      if n.b >= 0 { expr(n.b, scope: sc, into: &s) }
      s += ")"
    case .cast:
      s += "cast:" + word(n.tok) + "("
      expr(n.a, scope: sc, into: &s)
      s += " as " + castType(n.tok)
      if n.d >= 0 { s += " unit " + unitWords(n.d) }
      s += ")"
    case .subquery, .exists:
      s += (n.kind == .exists ? "exists" : "") + "(" + queryText(n.a, scope: sc) + ")"
    case .inList:
      s += "("
      expr(n.a, scope: sc, into: &s)
      s += " " + word(n.tok) + binarySuffix(n.tok) + " in["
      for x in listOf(n) {
        expr(x, scope: sc, into: &s)
        s += ","
      }
      s += "])"
    case .inQuery:
      s += "("
      expr(n.a, scope: sc, into: &s)
      s += " " + word(n.tok) + binarySuffix(n.tok) + " q(" + queryText(n.b, scope: sc) + "))"
    case .between:
      s += "between:" + word(n.tok) + "("
      expr(n.a, scope: sc, into: &s)
      s += ","
      expr(n.b, scope: sc, into: &s)
      s += ","
      expr(n.c, scope: sc, into: &s)
      s += ")"
    case .access:
      s += "acc" + word(n.tok) + "("
      expr(n.a, scope: sc, into: &s)
      for x in listOf(n) {
        s += "["
        expr(x, scope: sc, into: &s)
        s += "]"
      }
      s += ")"
    case .lambda:
      let params = listOf(n).map(loose)
      lambdaParams += params
      s += "λ(" + params.joined(separator: ",") + ")->"
      expr(n.a, scope: sc, into: &s)
      lambdaParams.removeLast(params.count)
    case .namedArg:
      s += loose(n.tok) + "=>"
      expr(n.a, scope: sc, into: &s)
    case .star:
      s += "*"
    case .list:
      s += "("
      for x in listOf(n) {
        expr(x, scope: sc, into: &s)
        s += ","
      }
      s += ")"
    case .query, .select, .setOp, .values:
      s += "(" + queryText(e, scope: sc) + ")"
    default:
      s += "<\(n.kind.rawValue)>"
    }
  }

  mutating func exprList(_ l: Int32, scope sc: Int32, into s: inout String) {
    for x in list(l) {
      expr(x, scope: sc, into: &s)
      s += ","
    }
  }

  /// `NOT` after an operator token (`NOT IN`, `NOT LIKE`, `IS NOT DISTINCT FROM`): the
  /// words the AST keeps only as tokens.
  func binarySuffix(_ t: Int32) -> String {
    guard t >= 0 else { return "" }
    var s = ""
    var k = Int(t) + 1
    while k < tokens.count, k <= Int(t) + 3, tokens[k].kind == .ident,
      [.not, .distinct, .from, .like, .ilike, .in, .any, .all, .some].contains(tokens[k].keyword)
    {
      s += " " + word(Int32(k))
      k += 1
    }
    return s
  }

  /// A window frame's words (`rows between 1 preceding and current row`), from its first
  /// token to the window's closing parenthesis, each as ``word(_:)`` prints it.
  func frameWords(_ first: Int32) -> String {
    var out: [String] = []
    var depth = 0
    var k = Int(first)
    while k < tokens.count, tokens[k].kind != .eof {
      if tokens[k].kind == .lparen { depth += 1 }
      if tokens[k].kind == .rparen {
        if depth == 0 { break }
        depth -= 1
      }
      out.append(word(Int32(k)))
      k += 1
    }
    return out.joined(separator: " ")
  }

  /// An INTERVAL's unit words from the first: `day`, or `hour to second`.
  func unitWords(_ first: Int32) -> String {
    let k = Int(first)
    if k + 2 < tokens.count, tokens[k + 1].kind == .ident, tokens[k + 1].keyword == .to {
      return word(first) + " to " + word(first + 2)
    }
    return word(first)
  }

  /// A named window's definition (`OVER w` with `WINDOW w AS (...)`).
  mutating func namedWindow(_ t: Int32, scope sc: Int32) -> String {
    let name = loose(t)
    var here = sc
    while here >= 0 {
      let core = selects[Int(scopes[Int(here)].select)]
      for w in list(core.windows) where loose(nodes[Int(w)].tok) == name {
        var s = "["
        expr(nodes[Int(w)].a, scope: here, into: &s)
        return s + "]"
      }
      here = scopes[Int(here)].parent
    }
    return ""
  }

  /// The type of a cast: the tokens after `::`, or after the last top-level `AS` of
  /// `CAST(... AS type)`.
  func castType(_ t: Int32) -> String {
    guard t >= 0 else { return "" }
    var k = Int(t)
    let tok = tokens[k]
    var out: [String] = []
    if tok.kind == .doubleColon {
      k += 1
      var depth = 0
      while k < tokens.count {
        let x = tokens[k]
        if x.kind == .lparen {
          depth += 1
        } else if x.kind == .rparen {
          if depth == 0 { break }
          depth -= 1
        } else if depth == 0, !(x.kind == .ident || x.kind == .quotedIdent || x.kind == .dot || x.kind == .number) {
          break
        } else if depth == 0, x.kind == .ident, !out.isEmpty, out.last != "." {
          if !["precision", "varying", "with", "without", "time", "zone"].contains(asciiLowercased(raw(Int32(k)))) {
            break
          }
        }
        out.append(word(Int32(k)))
        k += 1
      }
      return out.joined(separator: " ")
    }
    guard k + 1 < tokens.count, tokens[k + 1].kind == .lparen else { return "" }
    k += 2
    var depth = 0
    var lastAs = -1
    var end = k
    while end < tokens.count {
      let x = tokens[end]
      if x.kind == .eof { break }
      if x.kind == .lparen { depth += 1 }
      if x.kind == .rparen {
        if depth == 0 { break }
        depth -= 1
      }
      if depth == 0, x.kind == .ident, x.keyword == .as { lastAs = end }
      end += 1
    }
    guard lastAs >= 0 else { return "" }
    return (lastAs + 1..<end).map { word(Int32($0)) }.joined(separator: " ")
  }

  /// The first and last token of expression `e` (bounded: 10,000 nodes at most), or
  /// nil when it has none.
  func tokenSpan(_ e: Int32) -> (first: Int32, last: Int32)? {
    var first = Int32.max
    var last: Int32 = -1
    var work: [Int32] = [e]
    var seen = 0
    while let x = work.popLast(), seen < 10_000 {
      seen += 1
      guard x >= 0 else { continue }
      let n = nodes[Int(x)]
      if n.tok >= 0 {
        first = min(first, n.tok)
        last = max(last, n.tok)
      }
      // The list of a column, table or lambda holds tokens; of the others, nodes.
      if n.kind == .column || n.kind == .tableRef || n.kind == .lambda {
        if let t = listOf(n).first { first = min(first, t) }
        if let t = listOf(n).last { last = max(last, t) }
      } else {
        for c in listOf(n) { work.append(c) }
      }
      work.append(n.a)
      work.append(n.b)
      work.append(n.c)
    }
    return last >= 0 ? (first, last) : nil
  }

  /// ASC/DESC and NULLS FIRST/LAST after an ORDER BY expression (the AST does not keep
  /// them): the words after the expression's last token.
  func orderSuffix(_ e: Int32) -> String {
    let last = tokenSpan(e)?.last ?? -1
    guard last >= 0 else { return "" }
    var s = ""
    var k = Int(last) + 1
    while k < tokens.count, k <= Int(last) + 3, tokens[k].kind == .ident,
      [.asc, .desc, .nulls, .first, .last].contains(tokens[k].keyword)
    {
      s += " " + word(Int32(k))
      k += 1
    }
    return s
  }

  // MARK: Whole queries and rows

  /// The canonical text of a query in an expression (a scalar subquery, EXISTS, IN):
  /// its output columns by position and its row-level clauses, correlated to `sc`.
  mutating func queryText(_ q: Int32, scope sc: Int32) -> String {
    guard q >= 0 else { return "_" }
    if stack.exhausted { return "…" }
    let env = sc >= 0 ? scopes[Int(sc)].env : -1
    let outs = outputs(q, env: env, parent: sc)
    var s = outs.map { print($0.def, key: $0.key ?? "?") }.joined(separator: ",")
    s += "|"
    for (clause, text) in rows(q, env: env, parent: sc) where !text.isEmpty {
      s += clause.rawValue + ":" + text + ";"
    }
    let first = nodes[Int(q)].tok
    if first > 0, expressionSubqueryParens.contains(first - 1) {
      let limits = limitClauses(from: first)
      if !limits.isEmpty { s += "limit:" + limits + ";" }
    }
    return s
  }

  /// The row-level clauses of query `q` and of every query it reads through FROM
  /// (CTEs, derived tables), visited once each from the top, by clause kind.
  mutating func rows(_ q: Int32, env: Int32 = -1, parent: Int32 = -1) -> [(SQLShape.Clause, String)] {
    var text: [SQLShape.Clause: String] = [:]
    var visited = Set<QueryKey>()
    var queue: [(Int32, Int32, Int32)] = [(q, env, parent)]
    var head = 0
    while head < queue.count {
      let (query, qEnv, qParent) = queue[head]
      head += 1
      guard visited.insert(QueryKey(query: query, env: qEnv, parent: qParent)).inserted else { continue }
      _ = outputs(query, env: qEnv, parent: qParent)
      let n = nodes[Int(query)]
      var body = query
      var bodyEnv = qEnv
      if n.kind == .query {
        body = n.b
        bodyEnv = innerEnv(query, env: qEnv)
      }
      let branches = setBranches(body)
      if nodes[Int(body)].kind == .setOp {
        var ops = ""
        var work: [Int32] = [body]
        while let x = work.popLast() {
          let node = nodes[Int(x)]
          guard node.kind == .setOp else { continue }
          ops += word(node.tok) + setQuantifier(node.tok)
          ops += node.flags & SetOpFlags.byName != 0 ? " by name," : ","
          work.append(node.b)
          work.append(node.a)
        }
        text[.setOperation, default: ""] += "\(branches.count):" + ops + ";"
      }
      for b in branches {
        let bn = nodes[Int(b)]
        switch bn.kind {
        case .select:
          let sc = scopeFor(select: bn.a, env: bodyEnv, parent: qParent)
          selectRows(bn.a, first: bn.tok, scope: sc, into: &text)
          for src in scopes[Int(sc)].sources {
            if case .query(let sub, let subEnv, _) = src.kind { queue.append((sub, subEnv, -1)) }
          }
        case .query:
          queue.append((b, bodyEnv, qParent))
        default:
          break
        }
      }
    }
    return SQLShape.Clause.allCases.compactMap { c in text[c].map { (c, $0) } }
  }

  /// The environment inside query `q` (its CTEs), as ``enter(_:env:)`` made it.
  mutating func innerEnv(_ q: Int32, env: Int32) -> Int32 { enter(q, env: env).env }

  /// `ALL` or `DISTINCT` after a set operator's token (the AST keeps neither).
  func setQuantifier(_ t: Int32) -> String {
    let k = Int(t) + 1
    guard t >= 0, k < tokens.count, tokens[k].kind == .ident else { return "" }
    return tokens[k].keyword == .all ? " all" : ""
  }

  /// Appends condition `e` (when there is one) to clause `kind`'s text.
  mutating func clause(
    _ e: Int32, _ kind: SQLShape.Clause, scope sc: Int32, into text: inout [SQLShape.Clause: String]
  ) {
    guard e >= 0 else { return }
    var s = ""
    expr(e, scope: sc, into: &s)
    text[kind, default: ""] += s + ";"
  }

  /// The row-level clauses of one SELECT (its first token `first`: SELECT, or FROM for
  /// DuckDB's FROM-first form), read in scope `sc`.
  mutating func selectRows(
    _ index: Int32, first: Int32, scope sc: Int32, into text: inout [SQLShape.Clause: String]
  ) {
    let core = selects[Int(index)]
    // The relations read and the joins between them.
    var from = "from["
    var work = Array(list(core.from).reversed())
    while let item = work.popLast() {
      let n = nodes[Int(item)]
      switch n.kind {
      case .join:
        from += "join:\(n.flags & (JoinFlags.kindMask | JoinFlags.natural | JoinFlags.lateral | JoinFlags.comma))"
        if n.c >= 0 {
          from += " on "
          expr(n.c, scope: sc, into: &from)
        }
        let using = listOf(n).map(loose)
        if !using.isEmpty { from += " using " + using.joined(separator: ",") }
        from += "("
        work.append(n.b)
        work.append(n.a)
      case .tableRef:
        let parts = listOf(n).map(loose)
        if parts.count == 1, lookupCTE(parts[0], env: scopes[Int(sc)].env) != nil {
          from += "cte,"
        } else {
          from += relation(listOf(n).map(key)) + ","
        }
      case .derived:
        from += "query,"
      default:
        from += "fn:"
        if n.kind == .pivot {
          for e in listOf(n) { expr(e, scope: sc, into: &from) }
        } else {
          expr(n.a, scope: sc, into: &from)
        }
        from += ","
      }
    }
    text[.join, default: ""] += from + "];"
    clause(core.whereExpr, .filter, scope: sc, into: &text)
    if core.groupBy >= 0 || core.groupByAll {
      var s = core.groupByAll ? "all" : ""
      for g in list(core.groupBy) {
        let n = nodes[Int(g)]
        if n.kind == .literal, tokens[Int(n.tok)].kind == .number, let k = Int(raw(n.tok)) {
          // An ordinal: the select item it names.
          let items = list(core.items)
          if k >= 1, k <= items.count, nodes[Int(items[items.startIndex + k - 1])].a >= 0 {
            let before = currentItem[sc]
            currentItem[sc] = k - 1
            expr(nodes[Int(items[items.startIndex + k - 1])].a, scope: sc, into: &s)
            currentItem[sc] = before
            s += ","
            continue
          }
        }
        expr(g, scope: sc, into: &s)
        s += ","
      }
      text[.groupBy, default: ""] += s + ";"
    }
    clause(core.having, .having, scope: sc, into: &text)
    clause(core.qualify, .qualify, scope: sc, into: &text)
    // DISTINCT right after SELECT: the AST keeps DISTINCT ON only.
    let next = Int(first) + 1
    if first >= 0, next < tokens.count, tokens[next].kind == .ident, tokens[next].keyword == .distinct {
      var s = "distinct"
      if core.distinctOn >= 0 {
        s += " on("
        exprList(core.distinctOn, scope: sc, into: &s)
        s += ")"
      }
      text[.distinct, default: ""] += s + ";"
    }
  }
}
