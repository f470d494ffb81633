/// A located parse error.
struct ParseError: Error, Sendable {
  var message: String
  var token: Int32
  var hint: String
}

/// A statement the parser recognised and skipped (no lineage).
struct SkippedStatementRaw: Sendable {
  var keyword: String
  var token: Int32
}

/// The parser: recursive descent for statements, queries and FROM items, precedence
/// climbing for expressions (left-associative chains are a loop, not recursion). Every
/// recursive entry counts `depth` and stops at `maxDepth` with a located error, so no
/// input can exhaust the stack.
struct Parser {
  /// Nesting limit. Measured: a debug build needs well under 512 KiB of stack for this
  /// many levels of the deepest recursion (parentheses in expressions), parse and
  /// analysis together (see the nesting tests).
  static let maxDepth = 150

  let bytes: UnsafeBufferPointer<UInt8>
  let tokens: [Token]
  let dialect: SQLDialect
  var nodes: [Node] = []
  var lists: [Int32] = []
  var selects: [SelectCore] = []
  var statements: [Int32] = []
  var skipped: [SkippedStatementRaw] = []
  var errors: [ParseError] = []
  private var scratch: [Int32] = []
  private var p = 0
  private var depth = 0
  var stack = StackGuard()
  private var inConnectBy = false
  /// The matching `)` of each `(` token, computed on first need (`opensQuery`).
  private var closing: [Int32] = []

  init(bytes: UnsafeBufferPointer<UInt8>, tokens: [Token], dialect: SQLDialect) {
    self.bytes = bytes
    self.tokens = tokens
    self.dialect = dialect
    nodes.reserveCapacity(tokens.count / 2 + 8)
    lists.reserveCapacity(tokens.count / 2 + 8)
  }

  // MARK: Token helpers

  // The helpers are `mutating` on purpose: in a debug build a non-mutating call from a
  // mutating method copies the parser into the caller's frame, and the frames of the
  // recursive descent must stay small (see `StackGuard`).
  private var t: Token { mutating get { tokens[p] } }
  private mutating func kind(_ off: Int = 0) -> TokenKind {
    let k = p + off
    return k < tokens.count ? tokens[k].kind : .eof
  }
  private mutating func kw(_ off: Int = 0) -> Keyword {
    let k = p + off
    return k < tokens.count && tokens[k].kind == .ident ? tokens[k].keyword : .none
  }
  private mutating func at(_ k: Keyword) -> Bool { kw() == k }
  private mutating func at(_ k: TokenKind) -> Bool { kind() == k }
  private mutating func advance() { if p < tokens.count - 1 { p += 1 } }
  private mutating func eat(_ k: Keyword) -> Bool {
    if at(k) { advance(); return true }
    return false
  }
  private mutating func eat(_ k: TokenKind) -> Bool {
    if at(k) { advance(); return true }
    return false
  }
  private mutating func expect(_ k: Keyword, _ what: String) throws {
    if !eat(k) { throw fail("expected \(what)") }
  }
  private mutating func expect(_ k: TokenKind, _ what: String) throws {
    if !eat(k) { throw fail("expected \(what)") }
  }

  /// True when the current token's text equals `word` (ASCII case-insensitive); for
  /// words that are not keywords.
  private mutating func atWord(_ word: StaticString, _ off: Int = 0) -> Bool {
    let k = p + off
    guard k < tokens.count, tokens[k].kind == .ident else { return false }
    return textEquals(tokens[k], word)
  }

  mutating func textEquals(_ tok: Token, _ word: StaticString) -> Bool {
    let len = Int(tok.end - tok.start)
    guard len == word.utf8CodeUnitCount else { return false }
    return word.withUTF8Buffer { w in
      for i in 0..<len where bytes[Int(tok.start) + i] | 0x20 != w[i] | 0x20 { return false }
      return true
    }
  }

  /// A short description of a token for messages.
  mutating func describe(_ index: Int32) -> String {
    let tok = tokens[Int(index)]
    if tok.kind == .eof { return "end of input" }
    let len = Int(tok.end - tok.start)
    let cut = min(len, 40)
    var s = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.start) + cut]), as: UTF8.self)
    if cut < len { s += "..." }
    var out = ""
    for ch in s.unicodeScalars {
      if ch.value < 0x20 || ch.value == 0x7F {
        out += "\\u{\(String(ch.value, radix: 16))}"
      } else {
        out.unicodeScalars.append(ch)
      }
    }
    return "'\(out)'"
  }

  private mutating func fail(_ expected: String) -> ParseError {
    var hint = "check the SQL near this point"
    if t.kind == .lbrace && (kind(1) == .lbrace || kind(1) == .percent) {
      hint = "this looks like Jinja; give the compiled SQL (dbt compile) instead"
    } else if t.kind == .eof {
      hint = "the statement ends too early; look for a missing ')' or clause"
    } else if t.kind == .rparen {
      hint = "look for an unbalanced ')'"
    }
    return ParseError(message: "\(expected), found \(describe(Int32(p)))", token: Int32(p), hint: hint)
  }

  private mutating func enter() throws {
    // Checked before counting, so a refused level leaves the depth as it was.
    if depth + 1 > Parser.maxDepth || stack.exhausted {
      let levels = depth + 1 > Parser.maxDepth ? Parser.maxDepth : depth
      throw ParseError(
        message: "nesting deeper than \(levels) levels", token: Int32(p),
        hint: "split the statement into CTEs; deeper nesting is not read")
    }
    depth += 1
  }
  private mutating func leave() { depth -= 1 }

  // MARK: Arena helpers

  private mutating func add(_ n: Node) -> Int32 {
    nodes.append(n)
    return Int32(nodes.count - 1)
  }
  private var mark: Int { scratch.count }
  private mutating func push(_ v: Int32) { scratch.append(v) }
  /// Moves `scratch[from...]` into the list arena and returns a `.list` node.
  private mutating func finishList(from: Int, tok: Int32 = -1) -> Int32 {
    let start = Int32(lists.count)
    let count = Int32(scratch.count - from)
    lists.append(contentsOf: scratch[from...])
    scratch.removeSubrange(from...)
    return add(Node(kind: .list, tok: tok, listStart: start, listCount: count))
  }
  /// Like `finishList` but stores the range in an existing node.
  private mutating func finishList(from: Int, into node: inout Node) {
    node.listStart = Int32(lists.count)
    node.listCount = Int32(scratch.count - from)
    lists.append(contentsOf: scratch[from...])
    scratch.removeSubrange(from...)
  }

  // MARK: Statements

  mutating func parseAll() {
    while true {
      while eat(.semicolon) {}
      if at(.eof) { break }
      let start = p
      do {
        if let s = try parseStatement() { statements.append(s) }
        if !at(.semicolon) && !at(.eof) { throw fail("expected ';' or end of input") }
      } catch {
        let error = error as? ParseError ?? ParseError(message: "unreadable statement", token: Int32(p), hint: "")
        if tokens[Int(error.token)].kind != .error { errors.append(error) }
        depth = 0
        scratch.removeAll(keepingCapacity: true)
        if p == start { advance() }
        while !at(.semicolon) && !at(.eof) { advance() }
      }
    }
  }

  private static let otherStatements: Set<String> = [
    "use", "set", "unset", "grant", "revoke", "delete", "alter", "call", "begin", "commit", "rollback",
    "drop", "truncate", "copy", "put", "get", "list", "ls", "remove", "rm", "show", "describe", "desc",
    "explain", "comment", "analyze", "analyse", "vacuum", "execute", "exec", "declare", "refresh",
    "optimize", "cache", "uncache", "unload", "msck", "load", "start", "end", "return", "let", "if",
    "for", "while", "loop", "repeat", "undrop", "undo", "reset", "savepoint", "release", "prepare",
    "deallocate", "listen", "notify", "lock", "checkpoint", "cluster", "reindex", "discard", "do",
    "assert", "export", "import", "install", "pragma", "attach", "detach", "summarize", "restore",
    "backup", "fsck", "add", "clone", "convert", "generate", "sync", "raise", "break", "continue",
    "open", "close", "fetch", "move", "abort", "kill",
  ]

  private mutating func skipStatement(_ first: Int) {
    let tok = tokens[first]
    let kwText = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.end)]), as: UTF8.self)
    skipped.append(SkippedStatementRaw(keyword: asciiUppercased(kwText), token: Int32(first)))
    while !at(.semicolon) && !at(.eof) { advance() }
  }

  private mutating func parseStatement() throws -> Int32? {
    let first = p
    switch kw() {
    case .select, .with, .values, .from, .pivot, .unpivot:
      let q = try parseQuery()
      return add(Node(kind: .statement, flags: StatementKindRaw.select.rawValue, tok: Int32(first), b: q))
    case .create: return try parseCreate()
    case .insert: return try parseInsert()
    case .merge: return try parseMerge()
    case .update: return try parseUpdate()
    case .table:
      if kind(1) == .ident || kind(1) == .quotedIdent {
        let q = try parseQuery()
        return add(Node(kind: .statement, flags: StatementKindRaw.select.rawValue, tok: Int32(first), b: q))
      }
    default:
      if at(.lparen) {
        let q = try parseQuery()
        return add(Node(kind: .statement, flags: StatementKindRaw.select.rawValue, tok: Int32(first), b: q))
      }
    }
    if t.kind == .ident {
      let w = asciiLowercased(
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)]), as: UTF8.self))
      if Parser.otherStatements.contains(w) || t.keyword == .delete {
        skipStatement(first)
        return nil
      }
    }
    throw fail("expected a statement (SELECT, WITH, CREATE, INSERT, MERGE, UPDATE, ...)")
  }

  /// CREATE [OR REPLACE] [modifiers] TABLE|VIEW [IF NOT EXISTS] name [(columns)] [options] AS query.
  private mutating func parseCreate() throws -> Int32? {
    let first = p
    advance()
    if eat(.or) { try expect(.replace, "REPLACE after CREATE OR") }
    var isView = false
    var found = false
    while !at(.semicolon) && !at(.eof) {
      if at(.table) { found = true; advance(); break }
      if at(.view) { found = true; isView = true; advance(); break }
      // LOCAL, GLOBAL, TEMP, TEMPORARY, TRANSIENT, VOLATILE, SECURE, MATERIALIZED,
      // RECURSIVE, UNLOGGED, EXTERNAL, ICEBERG, DYNAMIC, MULTISET ...: words only.
      if t.kind == .ident
        && [
          .local, .global, .temp, .temporary, .transient, .volatile, .secure, .materialized,
          .recursive,
        ].contains(t.keyword) || atWord("unlogged") || atWord("multiset")
        || atWord("dynamic") || atWord("iceberg") || atWord("hybrid") || atWord("external") || atWord("streaming")
        || atWord("or")
      {
        advance()
        continue
      }
      break
    }
    if !found {
      // CREATE FUNCTION, TASK, SCHEMA, STAGE, ...: no lineage.
      p = first
      skipStatement(first)
      return nil
    }
    if at(.if) {
      advance()
      try expect(.not, "NOT after IF")
      try expect(.exists, "EXISTS after IF NOT")
    }
    let target = try parseTableName()
    var cols: Int32 = -1
    if at(.lparen) && !looksLikeQueryAfterParen() {
      cols = try parseColumnDefinitions()
    }
    // Options up to AS: skip balanced, stop at AS followed by a query.
    var query: Int32 = -1
    while !at(.semicolon) && !at(.eof) {
      if at(.as) {
        advance()
        query = try parseQuery()
        break
      }
      if at(.select) || (at(.with) && kind(1) != .lparen) { query = try parseQuery(); break }
      if at(.lparen) { try skipBalanced() } else { advance() }
    }
    if query < 0 {
      // DDL without a query: recognised, no lineage.
      let tok = tokens[first]
      skipped.append(SkippedStatementRaw(keyword: "CREATE", token: Int32(first)))
      _ = tok
      return nil
    }
    let kind: StatementKindRaw = isView ? .createView : .createTable
    return add(Node(kind: .statement, flags: kind.rawValue, tok: Int32(first), a: target, b: query, c: cols))
  }

  private mutating func looksLikeQueryAfterParen() -> Bool {
    var k = p
    while k < tokens.count && tokens[k].kind == .lparen { k += 1 }
    guard k < tokens.count, tokens[k].kind == .ident else { return false }
    if tokens[k].keyword == .pivot || tokens[k].keyword == .unpivot {
      return k + 1 < tokens.count && (tokens[k + 1].kind == .ident || tokens[k + 1].kind == .quotedIdent)
    }
    return tokens[k].keyword == .select || tokens[k].keyword == .with
  }

  /// True when the `(` at token `k` opens a query: `(SELECT ...`, `(WITH ...`, or a
  /// parenthesised query followed by a set operator, ORDER BY or LIMIT
  /// (`((select 1) union (select 2))`), at any depth. `((select 1) + 1)` is an
  /// expression. Matching parentheses come from one pass over the tokens, made the first
  /// time a `((` is seen, so the check is linear overall.
  private mutating func opensQuery(_ start: Int) -> Bool {
    var k = start
    while k + 1 < tokens.count && tokens[k].kind == .lparen {
      let next = tokens[k + 1]
      if next.kind == .ident && (next.keyword == .select || next.keyword == .with) { return true }
      if next.kind == .ident && (next.keyword == .pivot || next.keyword == .unpivot) && k + 2 < tokens.count
        && (tokens[k + 2].kind == .ident || tokens[k + 2].kind == .quotedIdent || tokens[k + 2].kind == .lparen)
      {
        return true
      }
      guard next.kind == .lparen else { return false }
      if closing.isEmpty { matchParentheses() }
      let close = Int(closing[k + 1])
      guard close > 0, close + 1 < tokens.count, tokens[close + 1].kind == .ident,
        Parser.queryContinuations.contains(tokens[close + 1].keyword)
      else { return false }
      k += 1
    }
    return false
  }

  private static let queryContinuations: KeywordSet = [.union, .intersect, .except, .minus, .order, .limit]

  /// Fills `closing`: for each `(` token, the index of its `)` (0 when unbalanced).
  private mutating func matchParentheses() {
    closing = [Int32](repeating: 0, count: tokens.count)
    var open: [Int32] = []
    for (i, tok) in tokens.enumerated() {
      if tok.kind == .lparen {
        open.append(Int32(i))
      } else if tok.kind == .rparen, let o = open.popLast() {
        closing[Int(o)] = Int32(i)
      }
    }
  }

  /// `(a int, b varchar(10) not null, primary key (a))`: the column names in order.
  private mutating func parseColumnDefinitions() throws -> Int32 {
    try expect(.lparen, "'('")
    let m = mark
    while true {
      if at(.rparen) { break }
      let isConstraint =
        at(.ident)
        && (atWord("primary") || atWord("constraint") || atWord("unique")
          || atWord("foreign") || atWord("check"))
      if !isConstraint && (at(.ident) || at(.quotedIdent)) { push(Int32(p)) }
      // Skip to the next comma at this depth.
      while !at(.comma) && !at(.rparen) && !at(.eof) && !at(.semicolon) {
        if at(.lparen) { try skipBalanced() } else { advance() }
      }
      if !eat(.comma) { break }
    }
    try expect(.rparen, "')' after the column list")
    return finishList(from: m)
  }

  /// Skips a balanced parenthesised group starting at '('.
  private mutating func skipBalanced() throws {
    let open = p
    var level = 0
    repeat {
      if at(.lparen) { level += 1 } else if at(.rparen) { level -= 1 }
      if at(.eof) {
        p = open
        throw fail("unbalanced '('; expected ')' before end of input")
      }
      advance()
    } while level > 0
  }

  /// A table name: parts separated by dots, or IDENTIFIER('a.b').
  private mutating func parseTableName() throws -> Int32 {
    let m = mark
    if at(.identifier) && kind(1) == .lparen {
      advance(); advance()
      if at(.string) { push(Int32(p)); advance() } else { try parseExpr().ignore() }
      try expect(.rparen, "')' after IDENTIFIER(...)")
      var n = Node(kind: .tableRef, tok: -1)
      finishList(from: m, into: &n)
      return add(n)
    }
    guard isNameToken(p) else { throw fail("expected a table name") }
    push(Int32(p)); advance()
    while at(.dot) {
      advance()
      if at(.dot) { continue }  // a..b (SQL Server default schema)
      guard isNameToken(p) else { throw fail("expected a name after '.'") }
      push(Int32(p)); advance()
    }
    var n = Node(kind: .tableRef, tok: -1)
    finishList(from: m, into: &n)
    return add(n)
  }

  private mutating func isNameToken(_ k: Int) -> Bool {
    k < tokens.count && (tokens[k].kind == .ident || tokens[k].kind == .quotedIdent)
  }

  /// A name of one or more dotted parts (`t.col`): the token of its last part.
  private mutating func parseDottedName(_ expected: String) throws -> Int32 {
    guard isNameToken(p) else { throw fail(expected) }
    var last = p
    advance()
    while at(.dot) && isNameToken(p + 1) { advance(); last = p; advance() }
    return Int32(last)
  }

  private mutating func parseNameList() throws -> Int32 {
    try expect(.lparen, "'('")
    let m = mark
    if !at(.rparen) {
      repeat { push(try parseDottedName("expected a column name")) } while eat(.comma)
    }
    try expect(.rparen, "')'")
    return finishList(from: m)
  }

  /// INSERT [OVERWRITE] [INTO] [TABLE] name [PARTITION (...)] [(cols)] [BY NAME] query.
  private mutating func parseInsert() throws -> Int32? {
    let first = p
    advance()
    if at(.all) || at(.first) || (at(.overwrite) && (kw(1) == .all || kw(1) == .first)) {
      // Snowflake multi-table INSERT: not read.
      skipStatement(first)
      return nil
    }
    _ = eat(.overwrite)
    _ = eat(.into)
    _ = eat(.table)
    let target = try parseTableName()
    // Alias (PostgreSQL: INSERT INTO t AS x).
    if eat(.as) { advance() }
    if at(.partition) { advance(); try skipBalanced() }
    var cols: Int32 = -1
    if at(.lparen) && !looksLikeQueryAfterParen() { cols = try parseNameList() }
    if at(.by) && kw(1) == .name { advance(); advance() }
    if at(.default) && kw(1) == .values {
      skipStatement(first)
      return nil
    }
    let q = try parseQuery()
    // ON CONFLICT ... / RETURNING ...: skipped.
    while !at(.semicolon) && !at(.eof) { if at(.lparen) { try skipBalanced() } else { advance() } }
    return add(
      Node(kind: .statement, flags: StatementKindRaw.insert.rawValue, tok: Int32(first), a: target, b: q, c: cols))
  }

  /// MERGE INTO target [alias] USING source [alias] ON cond WHEN ... THEN ...
  private mutating func parseMerge() throws -> Int32? {
    let first = p
    advance()
    _ = eat(.into)
    let target = try parseTableName()
    parseAlias(into: target)
    try expect(.using, "USING in MERGE")
    let source = try parseFromPrimary()
    try expect(.on, "ON in MERGE")
    let cond = try parseExpr()
    let m = mark
    while at(.when) {
      advance()
      var flags: UInt16 = 0
      if eat(.not) { flags |= 1 }
      try expect(.matched, "MATCHED")
      if eat(.by) {
        if atWord("source") { flags |= 2 }
        advance()
      }
      var clauseCond: Int32 = -1
      if eat(.and) { clauseCond = try parseExpr() }
      try expect(.then, "THEN")
      var action = Node(kind: .list, flags: flags, tok: Int32(p), a: clauseCond)
      let am = mark
      if eat(.update) {
        try expect(.set, "SET after UPDATE")
        if eat(.star) { action.flags |= 4 } else { try parseAssignments() }
      } else if eat(.insert) {
        if eat(.star) || atWord("row") {
          action.flags |= 4; if atWord("row") { advance() }
        } else {
          if at(.lparen) { action.b = try parseNameList() }
          try expect(.values, "VALUES")
          try expect(.lparen, "'('")
          let vm = mark
          if !at(.rparen) {
            repeat { push(try parseExpr()) } while eat(.comma)
          }
          try expect(.rparen, "')'")
          action.c = finishList(from: vm)
        }
        action.flags |= 8
      } else if eat(.delete) {
        action.flags |= 16
      } else if eat(.do) {
        try expect(.nothing, "NOTHING")
      } else {
        throw fail("expected UPDATE, INSERT, DELETE or DO NOTHING")
      }
      finishList(from: am, into: &action)
      push(add(action))
    }
    var n = Node(
      kind: .statement, flags: StatementKindRaw.merge.rawValue, tok: Int32(first), a: target, b: source, c: cond)
    finishList(from: m, into: &n)
    return add(n)
  }

  /// `a = e, (b, c) = (e1, e2), t.d = e`: pushes `.namedArg` nodes (tok = column token).
  private mutating func parseAssignments() throws {
    repeat {
      if at(.lparen) {
        let names = try parseNameList()
        try expect(.eq, "'='")
        let value = try parseExpr()
        let nn = nodes[Int(names)]
        var vals: [Int32] = []
        let vn = nodes[Int(value)]
        if vn.kind == .list { for k in 0..<Int(vn.listCount) { vals.append(lists[Int(vn.listStart) + k]) } }
        for k in 0..<Int(nn.listCount) {
          let tok = lists[Int(nn.listStart) + k]
          push(add(Node(kind: .namedArg, tok: tok, a: k < vals.count ? vals[k] : value)))
        }
        continue
      }
      let last = try parseDottedName("expected a column name")
      try expect(.eq, "'=' in SET")
      let value = try parseExpr()
      push(add(Node(kind: .namedArg, tok: last, a: value)))
    } while eat(.comma)
  }

  /// UPDATE target [alias] SET assignments [FROM items] [WHERE cond].
  private mutating func parseUpdate() throws -> Int32? {
    let first = p
    advance()
    let target = try parseTableName()
    parseAlias(into: target)
    try expect(.set, "SET in UPDATE")
    let m = mark
    try parseAssignments()
    var n = Node(kind: .statement, flags: StatementKindRaw.update.rawValue, tok: Int32(first), a: target)
    finishList(from: m, into: &n)
    if eat(.from) { n.b = try parseFromList() }
    if eat(.where) { n.c = try parseExpr() }
    while !at(.semicolon) && !at(.eof) { if at(.lparen) { try skipBalanced() } else { advance() } }
    return add(n)
  }

  // MARK: Queries

  /// [WITH ...] body [ORDER BY ...] [LIMIT ...].
  mutating func parseQuery() throws -> Int32 {
    try enter()
    defer { leave() }
    var q = Node(kind: .query, tok: Int32(p))
    if at(.with) {
      advance()
      if eat(.recursive) { q.flags |= 1 }
      let m = mark
      repeat {
        guard isNameToken(p) else { throw fail("expected a CTE name") }
        var cte = Node(kind: .cte, tok: Int32(p))
        advance()
        if at(.lparen) { cte.b = try parseNameList() }
        try expect(.as, "AS after the CTE name")
        if at(.not) { advance() }
        if at(.materialized) { advance() }
        try expect(.lparen, "'(' before the CTE's query")
        cte.a = try parseQuery()
        try expect(.rparen, "')' after the CTE's query")
        push(add(cte))
      } while eat(.comma)
      q.a = finishList(from: m)
    }
    q.b = try parseSetBody()
    try parseQueryTail(&q)
    return add(q)
  }

  private mutating func parseQueryTail(_ q: inout Node) throws {
    while true {
      if at(.order) && kw(1) == .by {
        advance(); advance()
        q.c = try parseOrderList()
      } else if at(.limit) {
        advance()
        if !eat(.all) { try parseExpr().ignore() }
        if eat(.comma) { try parseExpr().ignore() }
        if eat(.offset) { try parseExpr().ignore(); _ = eat(.rows) || eat(.row) }
      } else if at(.offset) {
        advance()
        try parseExpr().ignore()
        _ = eat(.rows) || eat(.row)
      } else if at(.fetch) {
        advance()
        _ = eat(.first) || eat(.next)
        if !at(.rows) && !at(.row) { try parseExpr().ignore() }
        _ = eat(Keyword.percent)
        _ = eat(.rows) || eat(.row)
        if !eat(.only) { if eat(.with) { try expect(.ties, "TIES") } }
      } else if at(.for) && (atWord("update", 1) || atWord("share", 1)) {
        while !at(.semicolon) && !at(.eof) && !at(.rparen) { advance() }
      } else {
        break
      }
    }
  }

  private mutating func parseOrderList() throws -> Int32 {
    let m = mark
    if at(.all) && (kind(1) == .semicolon || kind(1) == .eof || kind(1) == .rparen) {
      advance()
      return finishList(from: m)
    }
    repeat {
      let e = try parseExpr()
      _ = eat(.asc) || eat(.desc)
      if eat(.nulls) { _ = eat(.first) || eat(.last) }
      push(add(Node(kind: .orderItem, a: e)))
    } while eat(.comma)
    return finishList(from: m)
  }

  /// Set operations, left-associative, as a loop.
  private mutating func parseSetBody() throws -> Int32 {
    var left = try parseSetTerm()
    while at(.union) || at(.intersect) || at(.except) || at(Keyword.minus) {
      let opTok = Int32(p)
      advance()
      var flags: UInt16 = 0
      if !eat(.all) { _ = eat(.distinct) }
      if at(.by) && kw(1) == .name { advance(); advance(); flags |= SetOpFlags.byName }
      if atWord("corresponding") { advance(); flags |= SetOpFlags.byName; if eat(.by) { _ = try parseNameList() } }
      let right = try parseSetTerm()
      left = add(Node(kind: .setOp, flags: flags, tok: opTok, a: left, b: right))
    }
    return left
  }

  private mutating func parseSetTerm() throws -> Int32 {
    if at(.lparen) {
      advance()
      let q = try parseQuery()
      try expect(.rparen, "')' after the query")
      return q
    }
    if at(.select) || at(.from) { return try parseSelect() }
    if at(.values) { return try parseValues() }
    if (at(.pivot) || at(.unpivot)) && (isNameToken(p + 1) || kind(1) == .lparen) { return try parsePivotStatement() }
    if at(.with) { return try parseQuery() }
    if at(.table) && isNameToken(p + 1) {
      // PostgreSQL `TABLE t` = SELECT * FROM t.
      let tok = Int32(p)
      advance()
      let name = try parseTableName()
      let fm = mark
      push(name)
      let from = finishList(from: fm)
      selects.append(SelectCore(items: starItems(tok), from: from))
      return add(Node(kind: .select, tok: tok, a: Int32(selects.count - 1)))
    }
    throw fail("expected SELECT, VALUES or '('")
  }

  /// A select list of one `*` (at token `tok`): `TABLE t`, DuckDB's `FROM t`.
  private mutating func starItems(_ tok: Int32) -> Int32 {
    let m = mark
    push(add(Node(kind: .selectItem, a: add(Node(kind: .star, tok: tok)))))
    return finishList(from: m)
  }

  private mutating func parseValues() throws -> Int32 {
    let tok = Int32(p)
    try expect(.values, "VALUES")
    let m = mark
    repeat {
      if at(.lparen) {
        advance()
        let rm = mark
        if !at(.rparen) { repeat { push(try parseExpr()) } while eat(.comma) }
        try expect(.rparen, "')' after a VALUES row")
        push(finishList(from: rm))
      } else {
        let rm = mark
        push(try parseExpr())
        push(finishList(from: rm))
      }
    } while eat(.comma)
    var n = Node(kind: .values, tok: tok)
    finishList(from: m, into: &n)
    return add(n)
  }

  private static let clauseStarts: KeywordSet = [
    .from, .where, .group, .having, .qualify, .window, .order, .limit, .offset, .fetch, .union, .intersect,
    .except, .minus, .into,
  ]

  private mutating func parseSelect() throws -> Int32 {
    let tok = Int32(p)
    var core = SelectCore()
    var fromFirst = false
    if at(.from) {
      // DuckDB: FROM t [SELECT ...].
      advance()
      core.from = try parseFromList()
      fromFirst = true
      if !at(.select) {
        core.implicitStar = true
        core.items = starItems(tok)
      }
    }
    if !core.implicitStar {
      try expect(.select, "SELECT")
      if at(.top) {
        advance(); try parsePrimaryOrParen(); _ = eat(Keyword.percent);
        if at(.with) && kw(1) == .ties { advance(); advance() }
      }
      if eat(.distinct) {
        if at(.on) && kind(1) == .lparen {
          advance(); advance()
          let m = mark
          repeat { push(try parseExpr()) } while eat(.comma)
          try expect(.rparen, "')' after DISTINCT ON (...")
          core.distinctOn = finishList(from: m)
        }
      } else {
        _ = eat(.all)
      }
      if at(.as) && (kw(1) == .struct || atWord("value", 1)) { advance(); advance() }
      if at(.top) { advance(); try parsePrimaryOrParen() }
      let m = mark
      repeat {
        // DuckDB and BigQuery allow a trailing comma before FROM.
        if at(.eof) || at(.semicolon) || at(.rparen) || Parser.clauseStarts.contains(kw()) && m != mark { break }
        push(try parseSelectItem())
      } while eat(.comma)
      core.items = finishList(from: m)
      if at(.into) {
        // SELECT ... INTO t (PostgreSQL, T-SQL): the target is skipped.
        advance()
        _ = eat(.temp) || eat(.temporary)
        _ = eat(.table)
        try parseTableName().ignore()
      }
      if !fromFirst && eat(.from) { core.from = try parseFromList() }
    }
    try parseSelectClauses(&core)
    selects.append(core)
    return add(Node(kind: .select, tok: tok, a: Int32(selects.count - 1)))
  }

  private static let selectClauses: KeywordSet = [.where, .group, .having, .qualify, .window, .connect, .start]

  /// WHERE, GROUP BY, HAVING, QUALIFY, WINDOW, CONNECT BY, START WITH, in any order.
  private mutating func parseSelectClauses(_ core: inout SelectCore) throws {
    var seen: KeywordSet = []
    while true {
      let k = kw()
      guard Parser.selectClauses.contains(k), !seen.contains(k) else { break }
      if k == .group && kw(1) != .by { break }
      if k == .connect && kw(1) != .by { break }
      if k == .start && kw(1) != .with { break }
      seen.insert(k)
      advance()
      switch k {
      case .where: core.whereExpr = try parseExpr()
      case .group:
        advance()
        try parseGroupBy(&core)
      case .having: core.having = try parseExpr()
      case .qualify: core.qualify = try parseExpr()
      case .window:
        let m = mark
        repeat {
          guard isNameToken(p) else { throw fail("expected a window name") }
          let name = Int32(p)
          advance()
          try expect(.as, "AS after the window name")
          try expect(.lparen, "'('")
          let w = try parseWindowBody()
          push(add(Node(kind: .windowDef, tok: name, a: w)))
        } while eat(.comma)
        core.windows = finishList(from: m)
      case .connect:
        advance()
        inConnectBy = true
        defer { inConnectBy = false }
        _ = atWord("nocycle") ? advance() : ()
        try parseExpr().ignore()
      case .start:
        advance()
        try parseExpr().ignore()
      default: break
      }
    }
  }

  private mutating func parsePrimaryOrParen() throws {
    if at(.lparen) { try skipBalanced() } else { advance() }
  }

  private mutating func parseGroupBy(_ core: inout SelectCore) throws {
    if at(.all) { advance(); core.groupByAll = true; return }
    _ = eat(.distinct)
    let m = mark
    repeat {
      if (at(.rollup) || at(.cube)) && kind(1) == .lparen {
        advance(); advance()
        try parseGroupingElements()
        try expect(.rparen, "')'")
      } else if at(.grouping) && kw(1) == .sets {
        advance(); advance()
        try expect(.lparen, "'(' after GROUPING SETS")
        try parseGroupingElements()
        try expect(.rparen, "')'")
      } else if at(.lparen) && kind(1) == .rparen {
        advance(); advance()
      } else {
        push(try parseExpr())
      }
    } while eat(.comma)
    if at(.with) && (kw(1) == .rollup || kw(1) == .cube) { advance(); advance() }
    core.groupBy = finishList(from: m)
  }

  /// The elements of ROLLUP/CUBE/GROUPING SETS, flattened into the current list.
  private mutating func parseGroupingElements() throws {
    try enter()
    defer { leave() }
    if at(.rparen) { return }
    repeat {
      if (at(.rollup) || at(.cube)) && kind(1) == .lparen {
        advance(); advance()
        try parseGroupingElements()
        try expect(.rparen, "')'")
      } else {
        let e = try parseExpr()
        let n = nodes[Int(e)]
        if n.kind == .list {
          for k in 0..<Int(n.listCount) { push(lists[Int(n.listStart) + k]) }
        } else {
          push(e)
        }
      }
    } while eat(.comma)
  }

  private static let reservedAliases: KeywordSet = [
    .from, .where, .group, .having, .qualify, .window, .order, .limit, .offset, .fetch, .union, .intersect,
    .except, .minus, .into, .on, .using, .join, .inner, .left, .right, .full, .outer, .cross, .natural,
    .lateral, .asof, .when, .then, .else, .end, .and, .or, .not, .is, .in, .like, .ilike, .rlike, .regexp,
    .between, .similar, .over, .filter, .within, .pivot, .unpivot, .sample, .tablesample, .at, .before,
    .changes, .match_recognize, .connect, .set, .returning, .as, .with, .for, .select, .values, .escape,
    .collate, .glob, .xor, .div, .mod, .by, .case,
  ]

  private mutating func canBeImplicitAlias(_ k: Int) -> Bool {
    guard k < tokens.count else { return false }
    let tok = tokens[k]
    if tok.kind == .quotedIdent { return true }
    guard tok.kind == .ident else { return false }
    if Parser.reservedAliases.contains(tok.keyword) { return false }
    // LEFT SEMI JOIN, ANTI JOIN, POSITIONAL JOIN, APPLY.
    let nextIsJoin = k + 1 < tokens.count && tokens[k + 1].kind == .ident && tokens[k + 1].keyword == .join
    if nextIsJoin && (textEquals(tok, "semi") || textEquals(tok, "anti") || textEquals(tok, "positional")) {
      return false
    }
    if textEquals(tok, "apply") || textEquals(tok, "match_condition") { return false }
    if textEquals(tok, "start") && k + 1 < tokens.count && tokens[k + 1].keyword == .with { return false }
    return true
  }

  private mutating func parseSelectItem() throws -> Int32 {
    var item = Node(kind: .selectItem, tok: -1)
    item.c = Int32(p)
    if at(.star) {
      let star = Int32(p)
      advance()
      item.a = try parseStarModifiers(add(Node(kind: .star, tok: star)))
      return add(item)
    }
    let e = try parseExpr()
    item.a = e
    item.d = Int32(p)
    if nodes[Int(e)].kind == .star {
      item.a = try parseStarModifiers(e)
      return add(item)
    }
    if at(.as) {
      advance()
      if at(.lparen) {
        // Databricks: expr AS (a, b).
        let names = try parseNameList()
        let nn = nodes[Int(names)]
        if nn.listCount > 0 { item.tok = lists[Int(nn.listStart)] }
      } else if at(.ident) || at(.quotedIdent) || at(.string) {
        item.tok = Int32(p)
        advance()
      } else {
        throw fail("expected an alias after AS")
      }
    } else if canBeImplicitAlias(p) {
      item.tok = Int32(p)
      advance()
    } else if at(.string) && dialect.stringAliases {
      item.tok = Int32(p)
      advance()
    }
    return add(item)
  }

  /// EXCLUDE/EXCEPT, REPLACE, RENAME and ILIKE after `*` or `t.*`.
  private mutating func parseStarModifiers(_ star: Int32) throws -> Int32 {
    var n = nodes[Int(star)]
    while true {
      if at(.exclude) || (at(.except) && kind(1) == .lparen && kw(2) != .select) {
        advance()
        if at(.lparen) {
          n.a = try parseNameList()
        } else {
          let m = mark
          guard isNameToken(p) else { throw fail("expected a column name after EXCLUDE") }
          push(Int32(p)); advance()
          n.a = finishList(from: m)
        }
      } else if at(.replace) && kind(1) == .lparen {
        advance(); advance()
        let m = mark
        repeat {
          let e = try parseExpr()
          try expect(.as, "AS in REPLACE")
          guard isNameToken(p) else { throw fail("expected a column name") }
          push(add(Node(kind: .selectItem, tok: Int32(p), a: e)))
          advance()
        } while eat(.comma)
        try expect(.rparen, "')' after REPLACE (...")
        n.b = finishList(from: m)
      } else if at(.rename) {
        advance()
        let paren = eat(.lparen)
        let m = mark
        repeat {
          push(try parseDottedName("expected a column name after RENAME"))
          try expect(.as, "AS in RENAME")
          guard isNameToken(p) else { throw fail("expected the new column name") }
          push(Int32(p)); advance()
        } while paren && eat(.comma)
        if paren { try expect(.rparen, "')' after RENAME (...") }
        n.c = finishList(from: m)
      } else if at(.ilike) && kind(1) == .string {
        advance(); advance()
      } else {
        break
      }
    }
    nodes[Int(star)] = n
    return star
  }

  // MARK: FROM

  private mutating func parseFromList() throws -> Int32 {
    let m = mark
    repeat {
      push(try parseJoinTree())
    } while eat(.comma)
    return finishList(from: m)
  }

  private mutating func parseJoinTree() throws -> Int32 {
    try enter()
    defer { leave() }
    var left = try parseFromPrimary()
    while true {
      var flags: UInt16 = 0
      let save = p
      if eat(.natural) { flags |= JoinFlags.natural }
      if at(.join) {
        advance()
      } else if at(.inner) {
        advance(); try expect(.join, "JOIN")
      } else if at(.left) || at(.right) || at(.full) {
        flags |= at(.left) ? JoinFlags.left : at(.right) ? JoinFlags.right : JoinFlags.full
        advance()
        if atWord("semi") || atWord("anti") { flags = (flags & ~JoinFlags.kindMask) | JoinFlags.semi; advance() }
        _ = eat(.outer)
        try expect(.join, "JOIN")
      } else if at(.cross) {
        advance()
        if atWord("apply") { advance() } else { try expect(.join, "JOIN") }
        flags |= JoinFlags.cross
      } else if at(.outer) && atWord("apply", 1) {
        advance(); advance()
        flags |= JoinFlags.left
      } else if at(.asof) {
        advance()
        if at(.left) { advance(); flags |= JoinFlags.left }
        try expect(.join, "JOIN")
      } else if (atWord("semi") || atWord("anti")) && kw(1) == .join {
        advance(); advance()
        flags |= JoinFlags.semi
      } else if atWord("positional") && kw(1) == .join {
        advance(); advance()
        flags |= JoinFlags.cross
      } else if at(.lateral) && atWord("view", 1) {
        left = add(Node(kind: .join, flags: JoinFlags.cross | JoinFlags.lateral, a: left, b: try parseLateralView()))
        continue
      } else {
        p = save
        break
      }
      if at(.lateral) { flags |= JoinFlags.lateral }
      let right = try parseFromPrimary()
      var j = Node(kind: .join, flags: flags, tok: Int32(save), a: left, b: right)
      let m = mark
      if atWord("match_condition") {
        advance()
        try expect(.lparen, "'('")
        j.c = try parseExpr()
        try expect(.rparen, "')'")
      }
      if eat(.on) {
        let e = try parseExpr()
        j.c = j.c >= 0 ? add(Node(kind: .binary, tok: -1, a: j.c, b: e)) : e
      } else if at(.using) {
        advance()
        let names = try parseNameList()
        let nn = nodes[Int(names)]
        for k in 0..<Int(nn.listCount) { push(lists[Int(nn.listStart) + k]) }
      }
      finishList(from: m, into: &j)
      left = add(j)
    }
    return left
  }

  /// Spark's `LATERAL VIEW [OUTER] f(args) [alias] [AS] c1, c2`: a table function whose
  /// columns are named by the list.
  private mutating func parseLateralView() throws -> Int32 {
    advance(); advance()
    if at(.outer) { advance() }
    let name = try parseTableName()
    let parts = nodes[Int(name)]
    let nameTok = parts.listCount > 0 ? lists[Int(parts.listStart + parts.listCount - 1)] : Int32(p)
    let f = try parseFunctionCall(nameTok: nameTok)
    var item = Node(kind: .tableFunction, flags: 1, tok: nameTok, a: f)
    if isNameToken(p) && !at(.as) && canBeImplicitAlias(p) { item.tok = Int32(p); advance() }
    if eat(.as) || isNameToken(p) && canBeImplicitAlias(p) {
      let m = mark
      repeat {
        guard isNameToken(p) else { throw fail("expected a column name after LATERAL VIEW") }
        push(Int32(p)); advance()
      } while eat(.comma) && isNameToken(p) && !(at(.lateral) || kw() == .join)
      item.d = finishList(from: m)
    }
    return add(item)
  }

  /// One FROM item with its alias, time travel, sampling and PIVOT.
  /// The source of a FROM item before its alias; `complete` when it needs nothing more.
  private mutating func parseFromSource(lateral: Bool) throws -> (Int32, complete: Bool) {
    var item: Int32
    if at(.lparen) {
      if looksLikeQueryAfterParen() || kw(1) == .values {
        advance()
        let q = try parseQuery()
        try expect(.rparen, "')' after the subquery")
        item = add(Node(kind: .derived, flags: lateral ? 1 : 0, a: q))
      } else {
        advance()
        item = try parseJoinTree()
        try expect(.rparen, "')' after the parenthesised join")
        // (a JOIN b) AS x is rare; an alias here names nothing we resolve.
        if nodes[Int(item)].kind != .join {
          parseAlias(into: item)
          return (item, true)
        }
        _ = eat(.as)
        if canBeImplicitAlias(p) { advance() }
        return (item, true)
      }
    } else if at(.values) {
      let v = try parseValues()
      let q = add(Node(kind: .query, tok: nodes[Int(v)].tok, b: v))
      item = add(Node(kind: .derived, a: q))
    } else if at(.table) && kind(1) == .lparen {
      advance(); advance()
      let f = try parseExpr()
      try expect(.rparen, "')' after TABLE(...")
      item = add(Node(kind: .tableFunction, flags: lateral ? 1 : 0, a: f))
    } else if at(.unnest) && kind(1) == .lparen {
      let tok = Int32(p)
      advance(); advance()
      let m = mark
      if !at(.rparen) { repeat { push(try parseExpr()) } while eat(.comma) }
      try expect(.rparen, "')' after UNNEST(...")
      let args = finishList(from: m, tok: tok)
      item = add(Node(kind: .tableFunction, flags: 2 | (lateral ? 1 : 0), tok: tok, a: args))
      if at(.with) && kw(1) == .ordinality { advance(); advance() }
    } else if at(.param) || at(.string) {
      // Snowflake stage (@stage/path) or DuckDB 'file.parquet'.
      let m = mark
      push(Int32(p))
      advance()
      if at(.lparen) { try skipBalanced() }
      var n = Node(kind: .tableRef)
      finishList(from: m, into: &n)
      n.flags = 1
      item = add(n)
    } else {
      let name = try parseTableName()
      if at(.lparen) {
        // A table function: name(args).
        let parts = nodes[Int(name)]
        let nameTok = parts.listCount > 0 ? lists[Int(parts.listStart + parts.listCount - 1)] : Int32(p)
        let f = try parseFunctionCall(nameTok: nameTok)
        item = add(Node(kind: .tableFunction, flags: lateral ? 1 : 0, tok: nameTok, a: f))
      } else {
        item = name
      }
    }
    return (item, false)
  }

  private mutating func parseFromPrimary() throws -> Int32 {
    try enter()
    defer { leave() }
    var lateral = false
    if at(.lateral) { advance(); lateral = true }
    let (source, complete) = try parseFromSource(lateral: lateral)
    if complete { return source }
    var item = source
    try skipTableModifiers()
    parseAlias(into: item)
    try skipTableModifiers()
    if at(.with) && kw(1) == .offset {
      advance(); advance()
      _ = eat(.as)
      if canBeImplicitAlias(p) { nodes[Int(item)].b = Int32(p); advance() }
    }
    while at(.pivot) || at(.unpivot) { item = try parsePivot(item) }
    return item
  }

  /// PIVOT [INCLUDE|EXCLUDE NULLS] (aggregate [AS alias], ... FOR column IN (value [AS
  /// alias], ... | ANY [ORDER BY ...] | query) [more FOR clauses] [DEFAULT ON NULL (expr)]
  /// [GROUP BY ...]) or UNPIVOT [INCLUDE|EXCLUDE NULLS] (value_column FOR name_column IN
  /// (column [AS alias], ...)), after a FROM item, with its alias. Tuples of columns
  /// (`(a, b) FOR (x, y) IN ((c, d) AS e)`) are read in either.
  private mutating func parsePivot(_ source: Int32) throws -> Int32 {
    let unpivot = at(.unpivot)
    let word = unpivot ? "UNPIVOT" : "PIVOT"
    advance()
    if at(.include) || at(.exclude) { advance(); _ = eat(.nulls) }
    try expect(.lparen, "'(' after \(word)")
    var pv = Node(kind: .pivot, flags: unpivot ? 1 : 0, a: source)
    var exprs: [Int32] = []
    if unpivot {
      pv.b = try parseNameOrNames()
    } else {
      pv.b = try parsePivotItems(&exprs)
    }
    let clauses = mark
    try expect(.for, "FOR in \(word)")
    repeat {
      var spec = Node(kind: .pivotIn, tok: Int32(p))
      if unpivot {
        spec.a = try parseNameOrNames()
      } else {
        if at(.lparen) && !opensQuery(p) {
          advance()
          spec.a = try parsePivotExprs(&exprs)
          try expect(.rparen, "')'")
        } else {
          spec.a = try parsePivotExprs(&exprs, one: true)
        }
      }
      try expect(.in, "IN")
      if opensQuery(p) {
        advance()
        spec.c = try parseQuery()
        try expect(.rparen, "')' after the subquery")
      } else {
        try expect(.lparen, "'(' after IN")
        if at(.any) {
          // Values chosen when the query runs: the columns are not known here.
          try skipToClose()
        } else {
          spec.b = try parsePivotItems(&exprs)
          try expect(.rparen, "')' after the IN values")
        }
      }
      push(add(spec))
    } while eat(.for) || (!unpivot && isNameToken(p) && kw(1) == .in && !atWord("default"))
    if atWord("default") && kw(1) == .on {
      advance(); advance()
      try expect(.null, "NULL")
      let e = try parseExpr()
      exprs.append(e)
    }
    try parsePivotGroupBy(&exprs)
    pv.c = finishList(from: clauses)
    try expect(.rparen, "')' to close \(word)")
    let item = addPivot(&pv, exprs)
    parseAlias(into: item)
    return item
  }

  /// DuckDB's PIVOT and UNPIVOT statements, read as `SELECT * FROM source PIVOT (...)`:
  /// `PIVOT source [ON expr [IN (values)], ...] [USING aggregate [AS alias], ...] [GROUP
  /// BY ...]` and `UNPIVOT source ON column [AS alias], ... [INTO NAME name VALUE value,
  /// ...]`. Without IN the pivoted columns are chosen at run time; without USING the
  /// aggregate is `count(*)`; without INTO the columns are `name` and `value`.
  private mutating func parsePivotStatement() throws -> Int32 {
    let tok = Int32(p)
    let unpivot = at(.unpivot)
    advance()
    let source = try parseFromPrimary()
    var pv = Node(kind: .pivot, flags: unpivot ? 1 : 0, a: source)
    var exprs: [Int32] = []
    let clauses = mark
    if unpivot {
      try expect(.on, "ON after UNPIVOT's source")
      var spec = Node(kind: .pivotIn, tok: Int32(p))
      spec.b = try parsePivotItems(&exprs)
      if eat(.into) {
        guard atWord("name") else { throw fail("NAME after INTO") }
        advance()
        spec.a = try parseNameOrNames()
        guard atWord("value") else { throw fail("VALUE after INTO NAME ...") }
        advance()
        let vm = mark
        repeat { push(try parseDottedName("expected a column name")) } while eat(.comma)
        pv.b = finishList(from: vm)
      }
      push(add(spec))
    } else {
      if eat(.on) {
        repeat {
          var spec = Node(kind: .pivotIn, tok: Int32(p))
          spec.a = try parsePivotExprs(&exprs, one: true)
          if eat(.in) {
            try expect(.lparen, "'(' after IN")
            spec.b = try parsePivotItems(&exprs)
            try expect(.rparen, "')' after the IN values")
          }
          push(add(spec))
        } while eat(.comma)
      }
      if atWord("using") {
        advance()
        pv.b = try parsePivotItems(&exprs)
      } else {
        pv.b = finishList(from: mark)
      }
      try parsePivotGroupBy(&exprs)
    }
    pv.c = finishList(from: clauses)
    let item = addPivot(&pv, exprs)
    let fm = mark
    push(item)
    let from = finishList(from: fm)
    selects.append(SelectCore(items: starItems(tok), from: from))
    return add(Node(kind: .select, tok: tok, a: Int32(selects.count - 1)))
  }

  /// `expr [AS alias], ...` inside a PIVOT or UNPIVOT: a `.list` of `.selectItem`, each
  /// expression also noted in `exprs`.
  private mutating func parsePivotItems(_ exprs: inout [Int32]) throws -> Int32 {
    let m = mark
    repeat {
      let item = try parseSelectItem()
      exprs.append(nodes[Int(item)].a)
      push(item)
    } while eat(.comma)
    return finishList(from: m)
  }

  /// `expr, ...` (or, with `one`, a single expression stopping before `IN`) inside a
  /// PIVOT: a `.list`, each expression also noted in `exprs`.
  private mutating func parsePivotExprs(_ exprs: inout [Int32], one: Bool = false) throws -> Int32 {
    let m = mark
    repeat {
      let e = try parseExpr(one ? 40 : 0)
      exprs.append(e)
      push(e)
    } while !one && eat(.comma)
    return finishList(from: m)
  }

  /// A PIVOT's own `GROUP BY ...`, pushed as a `.list` after its FOR clauses.
  private mutating func parsePivotGroupBy(_ exprs: inout [Int32]) throws {
    guard at(.group) && kw(1) == .by else { return }
    advance(); advance()
    push(try parsePivotExprs(&exprs))
  }

  /// Adds the pivot node with every expression inside it as its list.
  private mutating func addPivot(_ pv: inout Node, _ exprs: [Int32]) -> Int32 {
    let all = mark
    for e in exprs { push(e) }
    finishList(from: all, into: &pv)
    return add(pv)
  }

  /// `name` or `(name, name, ...)`: a `.list` of name tokens.
  private mutating func parseNameOrNames() throws -> Int32 {
    if at(.lparen) { return try parseNameList() }
    let m = mark
    push(try parseDottedName("expected a column name"))
    return finishList(from: m)
  }

  /// Skips to the `)` that closes the current parenthesis, and past it.
  private mutating func skipToClose() throws {
    var level = 1
    while level > 0 {
      if at(.eof) { throw fail("')'") }
      if at(.lparen) { level += 1 } else if at(.rparen) { level -= 1 }
      advance()
    }
  }

  /// AT(...)/BEFORE(...)/CHANGES(...) time travel, SAMPLE/TABLESAMPLE, FOR SYSTEM_TIME
  /// AS OF, FINAL, WITH (hints): read and dropped.
  private mutating func skipTableModifiers() throws {
    while true {
      if (at(.at) || at(.before) || at(.changes)) && kind(1) == .lparen {
        advance(); try skipBalanced()
      } else if at(.sample) || at(.tablesample) {
        advance()
        if at(.ident) && !at(.lparen) && kind(1) == .lparen { advance() }  // BERNOULLI, SYSTEM, ROW, BLOCK
        if at(.lparen) { try skipBalanced() }
        if (atWord("repeatable") || atWord("seed")) && kind(1) == .lparen { advance(); try skipBalanced() }
      } else if at(.for) && atWord("system_time", 1) {
        advance(); advance()
        try expect(.as, "AS"); try expect(.of, "OF")
        try parseExpr().ignore()
      } else if at(.match_recognize) && kind(1) == .lparen {
        advance(); try skipBalanced()
      } else if at(.with) && kind(1) == .lparen {
        advance(); try skipBalanced()
      } else {
        return
      }
    }
  }

  /// [AS] alias [(col, ...)] into a FROM item (tok and d).
  private mutating func parseAlias(into item: Int32) {
    var aliasTok: Int32 = -1
    if at(.as) && isNameToken(p + 1) {
      advance()
      aliasTok = Int32(p)
      advance()
    } else if canBeImplicitAlias(p) {
      aliasTok = Int32(p)
      advance()
    }
    if aliasTok >= 0 {
      nodes[Int(item)].tok = aliasTok
      if at(.lparen) && isNameToken(p + 1) {
        let save = p
        let saved = mark
        if let cols = try? parseNameList() {
          nodes[Int(item)].d = cols
        } else {
          scratch.removeSubrange(saved...)
          p = save
        }
      }
    }
  }

  // MARK: Expressions

  /// Binding powers: higher binds tighter.
  private mutating func infixPower() -> Int {
    switch kind() {
    case .eq, .neq, .lt, .gt, .le, .ge, .nullSafeEq: return 40
    case .plus, .minus, .concat, .amp, .pipe, .caret, .op, .tilde, .hashArrow, .hashLongArrow, .question: return 50
    case .star, .slash, .percent: return 60
    case .arrow, .longArrow: return 70
    case .doubleColon, .lbracket, .dot: return 80
    case .colon: return dialect.colonFieldAccess ? 80 : 0
    case .ident:
      switch kw() {
      case .or: return 10
      case .xor: return 15
      case .and: return 20
      case .is, .in, .like, .ilike, .rlike, .regexp, .between, .similar, .glob, .isnull, .notnull: return 40
      case .not:
        switch kw(1) {
        case .in, .like, .ilike, .rlike, .regexp, .between, .similar, .glob: return 40
        default: return 0
        }
      case .div, .mod: return 60
      case .collate: return 75
      case .at: return atWord("time", 1) ? 75 : 0
      default: return 0
      }
    default: return 0
    }
  }

  mutating func parseExpr(_ minPower: Int = 0) throws -> Int32 {
    try enter()
    defer { leave() }
    var left = try parsePrefix()
    while true {
      let power = infixPower()
      if power == 0 || power <= minPower { break }
      left = try parseInfix(left, power)
    }
    return left
  }

  private mutating func parseInfix(_ left: Int32, _ power: Int) throws -> Int32 {
    switch kind() {
    case .doubleColon, .lbracket, .dot, .colon: return try parsePostfix(left)
    case .ident:
      if let done = try parseKeywordInfix(left, power) { return done }
    default: break
    }
    return try parseBinaryInfix(left, power)
  }

  /// `::type`, `[i]`, `.field`, `:path`.
  private mutating func parsePostfix(_ left: Int32) throws -> Int32 {
    let opTok = Int32(p)
    switch kind() {
    case .doubleColon:
      advance()
      try parseType()
      return add(Node(kind: .cast, tok: opTok, a: left))
    case .lbracket:
      advance()
      let m = mark
      if !at(.rbracket) {
        if !at(.colon) { push(try parseExpr()) }
        if eat(.colon) { if !at(.rbracket) && !at(.colon) { push(try parseExpr()) } }
        if eat(.colon) { if !at(.rbracket) { push(try parseExpr()) } }
      }
      try expect(.rbracket, "']'")
      var n = Node(kind: .access, tok: opTok, a: left)
      finishList(from: m, into: &n)
      return add(n)
    case .dot:
      advance()
      if at(.star) {
        advance()
      } else if isNameToken(p) || at(.string) || at(.number) {
        advance()
      } else {
        throw fail("expected a field name after '.'")
      }
      return add(Node(kind: .access, flags: 1, tok: opTok, a: left))
    case .colon:
      advance()
      if isNameToken(p) || at(.string) || at(.number) {
        advance()
      } else {
        throw fail("expected a path element after ':'")
      }
      return add(Node(kind: .access, flags: 1, tok: opTok, a: left))
    default: break
    }
    return left
  }

  /// IS, IN, BETWEEN, LIKE, COLLATE, AT TIME ZONE, ISNULL; nil for keyword operators
  /// that are plain binary operators (AND, OR, DIV, ...).
  private mutating func parseKeywordInfix(_ left: Int32, _ power: Int) throws -> Int32? {
    let opTok = Int32(p)
    do {
      switch kw() {
      case .is:
        advance()
        _ = eat(.not)
        if eat(.distinct) {
          try expect(.from, "FROM after IS DISTINCT")
          let right = try parseExpr(40)
          return add(Node(kind: .binary, tok: opTok, a: left, b: right))
        }
        if eat(.null) || eat(.true) || eat(.false)
          || (atWord("unknown")
            ? {
              advance(); return true
            }() : false)
          || (atWord("nan")
            ? {
              advance(); return true
            }() : false)
        {
          return add(Node(kind: .unary, tok: opTok, a: left))
        }
        if atWord("json") { advance(); return add(Node(kind: .unary, tok: opTok, a: left)) }
        let right = try parseExpr(40)
        return add(Node(kind: .binary, tok: opTok, a: left, b: right))
      case .isnull, .notnull:
        advance()
        return add(Node(kind: .unary, tok: opTok, a: left))
      case .not:
        advance()
        return try parseKeywordInfix(left, power) ?? parseBinaryInfix(left, power)
      case .in:
        advance()
        if at(.lparen) && opensQuery(p) {
          advance()
          let q = try parseQuery()
          try expect(.rparen, "')' after the subquery")
          return add(Node(kind: .inQuery, tok: opTok, a: left, b: q))
        }
        if at(.unnest) {
          let right = try parseExpr(40)
          return add(Node(kind: .binary, tok: opTok, a: left, b: right))
        }
        try expect(.lparen, "'(' after IN")
        let m = mark
        if !at(.rparen) { repeat { push(try parseExpr()) } while eat(.comma) }
        try expect(.rparen, "')' after the IN list")
        var n = Node(kind: .inList, tok: opTok, a: left)
        finishList(from: m, into: &n)
        return add(n)
      case .between:
        advance()
        _ = atWord("symmetric") || atWord("asymmetric") ? advance() : ()
        let lo = try parseExpr(40)
        try expect(.and, "AND in BETWEEN")
        let hi = try parseExpr(40)
        return add(Node(kind: .between, tok: opTok, a: left, b: lo, c: hi))
      case .like, .ilike, .rlike, .regexp, .similar, .glob:
        if at(.similar) { advance(); try expect(.to, "TO after SIMILAR") } else { advance() }
        var right: Int32
        if (at(.any) || at(.all) || at(.some)) && kind(1) == .lparen {
          advance()
          right = try parseExpr(40)
        } else {
          right = try parseExpr(40)
        }
        if eat(.escape) { try parseExpr(40).ignore() }
        return add(Node(kind: .binary, tok: opTok, a: left, b: right))
      case .collate:
        advance()
        if at(.string) || isNameToken(p) { advance() }
        return left
      case .at:
        advance(); advance()  // AT TIME
        if atWord("zone") { advance() }
        let zone = try parseExpr(75)
        return add(Node(kind: .binary, tok: opTok, a: left, b: zone))
      default: break
      }
    }
    return nil
  }

  private mutating func parseBinaryInfix(_ left: Int32, _ power: Int) throws -> Int32 {
    let opTok = Int32(p)
    advance()
    // Comparison with ANY/ALL/SOME (subquery or array).
    if power == 40 && (at(.any) || at(.all) || at(.some)) && kind(1) == .lparen {
      advance()
      if opensQuery(p) {
        advance()
        let q = try parseQuery()
        try expect(.rparen, "')' after the subquery")
        return add(Node(kind: .inQuery, tok: opTok, a: left, b: q))
      }
      let right = try parsePrefix()
      return add(Node(kind: .binary, tok: opTok, a: left, b: right))
    }
    let right = try parseExpr(power)
    return add(Node(kind: .binary, tok: opTok, a: left, b: right))
  }

  /// A type after `::` or in a column definition: name parts, multi-word names,
  /// arguments, `<...>` parameters and `[]` suffixes.
  private mutating func parseType() throws {
    let first = p
    _ = try parseDottedName("expected a type name")
    if textEquals(tokens[first], "double") && atWord("precision") { advance() }
    if (textEquals(tokens[first], "character") || textEquals(tokens[first], "char")) && atWord("varying") { advance() }
    if at(.lparen) { try skipBalanced() }
    if at(.lt)
      && (textEquals(tokens[first], "array") || textEquals(tokens[first], "struct") || textEquals(tokens[first], "map"))
    {
      try skipAngleType()
    }
    if (at(.with) || atWord("without")) && atWord("time", 1) && atWord("zone", 2) { advance(); advance(); advance() }
    while at(.lbracket) && (kind(1) == .rbracket || (kind(1) == .number && kind(2) == .rbracket)) {
      advance(); if at(.number) { advance() }; advance()
    }
  }

  private static let cannotStartExpression: KeywordSet = [
    .from, .where, .group, .having, .qualify, .window, .order, .limit, .union, .intersect, .except, .minus,
    .join, .on, .using, .as, .and, .or, .then, .when, .else, .end, .by, .into, .select, .with, .over,
    .inner, .cross, .natural, .full, .outer,
  ]

  private static let typedLiterals: KeywordSet = [
    .date, .time, .timestamp, .datetime, .timestamp_ntz, .timestamp_ltz, .timestamp_tz,
  ]

  private mutating func parsePrefix() throws -> Int32 {
    let tok = Int32(p)
    switch kind() {
    case .number, .string, .param, .question:
      advance()
      return add(Node(kind: .literal, tok: tok))
    case .minus, .plus, .tilde, .bang:
      advance()
      let e = try parseExpr(65)
      return add(Node(kind: .unary, tok: tok, a: e))
    case .colon:
      // Bind variable :name.
      if isNameToken(p + 1) { advance(); advance(); return add(Node(kind: .literal, tok: tok)) }
    case .lparen: return try parseParenPrimary()
    case .lbracket: return try parseBracketPrimary()
    case .lbrace: return try parseBracePrimary()
    case .star:
      advance()
      return add(Node(kind: .star, tok: tok))
    case .ident, .quotedIdent:
      return try parseNamePrimary()
    default: break
    }
    throw fail("expected an expression")
  }

  /// `(subquery)`, `(expr)`, a tuple `(a, b)` or a lambda `(a, b) -> ...`.
  private mutating func parseParenPrimary() throws -> Int32 {
    let tok = Int32(p)
    if opensQuery(p) {
      advance()
      let q = try parseQuery()
      try expect(.rparen, "')' after the subquery")
      return add(Node(kind: .subquery, tok: tok, a: q))
    }
    if let lambda = try parseLambdaIfAny() { return lambda }
    advance()
    if at(.rparen) {
      advance()
      return add(Node(kind: .list, tok: tok))
    }
    let first = try parseExpr()
    if at(.comma) {
      let m = mark
      push(first)
      while eat(.comma) { push(try parseExpr()) }
      try expect(.rparen, "')'")
      return finishList(from: m, tok: tok)
    }
    try expect(.rparen, "')'")
    return first
  }

  /// An array literal `[a, b]`.
  private mutating func parseBracketPrimary() throws -> Int32 { try parseBracketList(tok: Int32(p)) }

  /// `[a, b]` at the current token, as a `.list` node with token `tok` (the `[`, or the
  /// `ARRAY` before it).
  private mutating func parseBracketList(tok: Int32) throws -> Int32 {
    advance()
    let m = mark
    if !at(.rbracket) { repeat { if at(.rbracket) { break }; push(try parseExpr()) } while eat(.comma) }
    try expect(.rbracket, "']'")
    return finishList(from: m, tok: tok)
  }

  /// A struct literal `{'a': 1}`; `{{` is leftover Jinja.
  private mutating func parseBracePrimary() throws -> Int32 {
    let tok = Int32(p)
    if kind(1) == .lbrace || kind(1) == .percent { throw fail("expected an expression") }
    // Struct or object literal {'a': 1, b: 2}.
    advance()
    let m = mark
    if !at(.rbrace) {
      repeat {
        if at(.rbrace) { break }
        if at(.string) || isNameToken(p) { advance() } else { throw fail("expected a key") }
        if !eat(.colon) { try expect(.fatArrow, "':'") }
        push(try parseExpr())
      } while eat(.comma)
    }
    try expect(.rbrace, "'}'")
    return finishList(from: m, tok: tok)
  }

  /// `x -> body` or `(x, y) -> body`, when the arrow is not a JSON operator.
  private mutating func parseLambdaIfAny() throws -> Int32? {
    if !dialect.arrowLambdas { return nil }
    var k = p
    let m = mark
    if kind() == .lparen {
      k += 1
      while isNameToken(k) {
        k += 1
        if k < tokens.count && tokens[k].kind == .comma { k += 1 } else { break }
      }
      guard k < tokens.count, tokens[k].kind == .rparen, k + 1 < tokens.count, tokens[k + 1].kind == .arrow else {
        return nil
      }
      var j = p + 1
      while j < k { if tokens[j].kind != .comma { push(Int32(j)) }; j += 1 }
      k += 2
    } else {
      guard isNameToken(k), k + 1 < tokens.count, tokens[k + 1].kind == .arrow else { return nil }
      push(Int32(k))
      k += 2
    }
    if k < tokens.count && (tokens[k].kind == .string || tokens[k].kind == .number) {
      scratch.removeSubrange(m...)
      return nil
    }
    p = k
    var n = Node(kind: .lambda, tok: Int32(k - 1))
    n.a = try parseExpr()
    finishList(from: m, into: &n)
    return add(n)
  }

  /// CASE, CAST, EXISTS, NOT, NULL, INTERVAL, ARRAY[...], typed literals; nil when the
  /// keyword is used as a name.
  private mutating func parseKeywordPrimary() throws -> Int32? {
    let tok = Int32(p)
    let k = kw()
    do {
      switch k {
      case .case: return try parseCase()
      case .cast, .try_cast, .safe_cast:
        if kind(1) == .lparen {
          advance(); advance()
          let e = try parseExpr()
          if !eat(.as) { try expect(.comma, "AS in CAST") }
          var level = 0
          while !(level == 0 && at(.rparen)) {
            if at(.eof) || at(.semicolon) { throw fail("expected ')' after the CAST type") }
            if at(.lparen) { level += 1 } else if at(.rparen) { level -= 1 }
            advance()
          }
          advance()
          return add(Node(kind: .cast, tok: tok, a: e))
        }
      case .exists:
        if kind(1) == .lparen && opensQuery(p + 1) {
          advance(); advance()
          let q = try parseQuery()
          try expect(.rparen, "')' after EXISTS (...")
          return add(Node(kind: .exists, tok: tok, a: q))
        }
      case .not:
        advance()
        let e = try parseExpr(30)
        return add(Node(kind: .unary, tok: tok, a: e))
      case .null, .true, .false:
        if kind(1) != .lparen { advance(); return add(Node(kind: .literal, tok: tok)) }
      case .interval:
        do {
          advance()
          let v = try parseExpr(70)
          // Units: DAY, HOUR TO SECOND, ... (d: the first, for the fingerprint).
          var n = Node(kind: .cast, tok: tok, a: v)
          if at(.ident) && !Parser.reservedAliases.contains(kw()) && kind(1) != .lparen && isDatePart(p) {
            n.d = Int32(p)
            advance()
            if at(.to) && isDatePart(p + 1) { advance(); advance() }
          }
          return add(n)
        }
      case .array, .struct:
        do {
          advance()
          if at(.lt) { try skipAngleType() }
          if at(.lbracket) { return try parseBracketList(tok: tok) }
          if at(.lparen) && (kw(1) == .select || kw(1) == .with) {
            advance()
            let q = try parseQuery()
            try expect(.rparen, "')'")
            return add(Node(kind: .subquery, tok: tok, a: q))
          }
          if at(.lparen) { return try parseFunctionCall(nameTok: tok) }
          p = Int(tok)
        }
      default:
        if Parser.typedLiterals.contains(k) && kind(1) == .string {
          advance(); advance()
          return add(Node(kind: .literal, tok: tok))
        }
        if Parser.cannotStartExpression.contains(k) && !(kind(1) == .lparen && (k == .left || k == .right)) {
          throw fail("expected an expression")
        }
      }
    }
    return nil
  }

  private mutating func parseNamePrimary() throws -> Int32 {
    if t.kind == .ident && kw() != .none, let done = try parseKeywordPrimary() { return done }
    if inConnectBy && atWord("prior") && isNameToken(p + 1) { advance() }
    let tok = Int32(p)
    if let lambda = try parseLambdaIfAny() { return lambda }
    // Name parts, a function call, or qualified star.
    let m = mark
    push(Int32(p))
    advance()
    while at(.dot) {
      if kind(1) == .star {
        advance(); advance()
        var star = Node(kind: .star, tok: Int32(p - 1))
        finishList(from: m, into: &star)
        return add(star)
      }
      guard isNameToken(p + 1) else { break }
      advance()
      push(Int32(p))
      advance()
    }
    if at(.lparen) {
      let nameTok = scratch[scratch.count - 1]
      scratch.removeSubrange(m...)
      return try parseFunctionCall(nameTok: nameTok)
    }
    var col = Node(kind: .column, tok: tok)
    finishList(from: m, into: &col)
    return add(col)
  }

  mutating func isDatePart(_ k: Int) -> Bool {
    guard k < tokens.count, tokens[k].kind == .ident else { return false }
    return SQLNames.isDatePart(tokens[k], bytes)
  }

  /// `name(` ... `)` [WITHIN GROUP (ORDER BY ...)] [FILTER (WHERE ...)] [IGNORE NULLS] [OVER ...].
  private mutating func parseFunctionCall(nameTok: Int32) throws -> Int32 {
    try enter()
    defer { leave() }
    var f = Node(kind: .function, tok: nameTok)
    try expect(.lparen, "'('")
    let m = mark
    let name = tokens[Int(nameTok)]
    if eat(.distinct) { f.flags |= 1 } else if at(.all) && kind(1) != .rparen && kind(1) != .comma { advance() }
    if !at(.rparen) {
      repeat {
        if at(.rparen) { break }
        if at(.star) && (kind(1) == .rparen || kind(1) == .comma) { advance(); continue }
        if isNameToken(p) && (kind(1) == .fatArrow || (kind(1) == .colon && kind(2) == .eq)) {
          let n = Int32(p)
          advance()
          if eat(.fatArrow) == false { advance(); advance() }
          let v = try parseExpr()
          push(add(Node(kind: .namedArg, tok: n, a: v)))
          continue
        }
        // EXTRACT(part FROM x), TRIM(BOTH x FROM y), POSITION(a IN b), SUBSTRING(a FROM b FOR c).
        if at(.both) || at(.leading) || at(.trailing) { advance(); if at(.from) { advance() } }
        if name.keyword == .extract && (isNameToken(p) || at(.string)) && kw(1) == .from {
          advance(); advance()
        }
        let e = try parseExpr(name.keyword == .position ? 40 : 0)
        push(e)
        // BigQuery STRUCT(1 AS a), Databricks named_struct-like aliases.
        if at(.as) && isNameToken(p + 1) && name.keyword != .cast { advance(); advance() }
        if name.keyword == .position && eat(.in) { push(try parseExpr()) }
        while at(.from) || at(.for) || atWord("placing") {
          advance()
          push(try parseExpr())
        }
        if (atWord("ignore") || atWord("respect")) && kw(1) == .nulls { advance(); advance() }
        if at(.order) && kw(1) == .by {
          advance(); advance()
          f.c = try parseOrderList()
        }
        if at(.limit) { advance(); try parseExpr().ignore() }
        if atWord("separator") { advance(); try parseExpr().ignore() }
        if at(.on) && atWord("overflow", 1) {
          while !at(.rparen) && !at(.eof) { advance() }
        }
      } while eat(.comma)
    }
    try expect(.rparen, "')' to close the call of \(describe(nameTok))")
    finishList(from: m, into: &f)
    if at(.within) && kw(1) == .group {
      advance(); advance()
      try expect(.lparen, "'('")
      try expect(.order, "ORDER BY"); try expect(.by, "BY")
      f.c = try parseOrderList()
      try expect(.rparen, "')'")
    }
    if at(.filter) && kind(1) == .lparen {
      advance(); advance()
      try expect(.where, "WHERE in FILTER (...)")
      f.a = try parseExpr()
      try expect(.rparen, "')'")
    }
    if (atWord("ignore") || atWord("respect")) && kw(1) == .nulls { advance(); advance() }
    if at(.over) {
      advance()
      if isNameToken(p) {
        f.b = add(Node(kind: .window, tok: Int32(p)))
        advance()
      } else {
        try expect(.lparen, "'(' after OVER")
        f.b = try parseWindowBody()
      }
    }
    return add(f)
  }

  /// Skips `<...>` (nested) at the current token: BigQuery `ARRAY<INT64>[...]`.
  private mutating func skipAngleType() throws {
    var level = 0
    repeat {
      if at(.lt) { level += 1 } else if at(.gt) { level -= 1 } else if at(.op) && textEquals(t, ">>") { level -= 2 }
      if at(.eof) || at(.semicolon) { throw fail("expected '>' to close the type") }
      advance()
    } while level > 0
  }

  /// The inside of OVER ( ... ) after '(' , through ')'.
  private mutating func parseWindowBody() throws -> Int32 {
    var w = Node(kind: .window)
    if isNameToken(p) && !at(.partition) && !at(.order) && !at(.rows) && !at(.range) && !at(.groups) {
      w.tok = Int32(p)
      advance()
    }
    if at(.partition) {
      advance()
      try expect(.by, "BY after PARTITION")
      let m = mark
      repeat { push(try parseExpr()) } while eat(.comma)
      w.a = finishList(from: m)
    }
    if at(.order) {
      advance()
      try expect(.by, "BY after ORDER")
      w.b = try parseOrderList()
    }
    // Frame (ROWS/RANGE/GROUPS ... , EXCLUDE ...): kept as its token range, read by
    // the fingerprint only.
    let frameStart = p
    var level = 0
    while !(level == 0 && at(.rparen)) {
      if at(.eof) || at(.semicolon) { throw fail("expected ')' to close the window") }
      if at(.lparen) { level += 1 } else if at(.rparen) { level -= 1 }
      advance()
    }
    if p > frameStart { w.d = Int32(frameStart) }
    advance()
    return add(w)
  }

  private mutating func parseCase() throws -> Int32 {
    let tok = Int32(p)
    advance()
    var n = Node(kind: .caseExpr, tok: tok)
    if !at(.when) { n.a = try parseExpr() }
    let m = mark
    while eat(.when) {
      push(try parseExpr())
      try expect(.then, "THEN")
      push(try parseExpr())
    }
    if m == mark { throw fail("expected WHEN in CASE") }
    if eat(.else) { n.b = try parseExpr() }
    try expect(.end, "END to close CASE")
    finishList(from: m, into: &n)
    return add(n)
  }
}

extension Int32 {
  /// Discards a parsed node index on purpose.
  func ignore() {}
}
