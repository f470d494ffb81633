import Dispatch
public import LineageCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a statement does.
public enum SQLStatementKind: String, Sendable, Hashable, CaseIterable {
  /// A bare query: no target.
  case select
  /// CREATE TABLE ... AS query.
  case createTable = "create_table"
  /// CREATE VIEW ... AS query.
  case createView = "create_view"
  /// INSERT INTO|OVERWRITE ... query.
  case insert
  /// MERGE INTO ... USING ...
  case merge
  /// UPDATE ... SET ...
  case update
}

/// One source of an output column: a table column and how it reaches the output, in
/// OpenLineage's vocabulary.
public struct ColumnSource: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The table's name parts: as the schema spells them when the schema knows the
  /// table, else as written with unquoted parts folded by the dialect.
  public var table: [String]
  /// The column: as the schema spells it when known, else folded like `table`. `*`
  /// for an unexpanded star over a table whose columns are unknown.
  public var column: String
  /// How the value flows: identity, transformation, aggregation (direct), or join,
  /// filter, group_by, sort, window, conditional (indirect).
  public var transform: Transform
  /// True when a hashing or masking function wraps the source on every path.
  public var masking: Bool

  /// Creates a source.
  public init(table: [String], column: String, transform: Transform, masking: Bool = false) {
    self.table = table
    self.column = column
    self.transform = transform
    self.masking = masking
  }

  /// `db.schema.table.column (transform[, masked])`.
  public var description: String {
    (table + [column]).joined(separator: ".") + " (\(transform.rawValue)\(masking ? ", masked" : ""))"
  }

  /// By table (part by part), then column, then transform in `Transform`'s order.
  public static func < (a: ColumnSource, b: ColumnSource) -> Bool {
    let n = min(a.table.count, b.table.count)
    for i in 0..<n where a.table[i] != b.table[i] {
      return a.table[i].utf8.lexicographicallyPrecedes(b.table[i].utf8)
    }
    if a.table.count != b.table.count { return a.table.count < b.table.count }
    if a.column != b.column { return a.column.utf8.lexicographicallyPrecedes(b.column.utf8) }
    if a.transform != b.transform { return transformRank(a.transform) < transformRank(b.transform) }
    return !a.masking && b.masking
  }
}

func transformRank(_ t: Transform) -> Int {
  switch t {
  case .identity: 0
  case .transformation: 1
  case .aggregation: 2
  case .join: 3
  case .filter: 4
  case .groupBy: 5
  case .sort: 6
  case .window: 7
  case .conditional: 8
  }
}

/// One output column of a statement, in order.
public struct OutputColumn: Sendable, Hashable {
  /// The name as written in the SELECT (the alias, or the column name; for an
  /// unaliased expression, its SQL text), or as the target's column list gives it.
  public var name: String
  /// Its sources, sorted: direct ones and the column-specific indirect ones
  /// (`conditional` for CASE conditions, `window` for PARTITION BY/ORDER BY of a window).
  public var sources: [ColumnSource]
  /// True for the marker left by `*` (or `t.*`) over a table whose columns are unknown:
  /// the name is `*` or `t.*` and the single source has column `*`.
  public var isUnexpandedStar: Bool

  /// Creates an output column.
  public init(name: String, sources: [ColumnSource], isUnexpandedStar: Bool = false) {
    self.name = name
    self.sources = sources
    self.isUnexpandedStar = isUnexpandedStar
  }
}

/// The lineage of one statement.
public struct StatementLineage: Sendable, Hashable {
  /// What the statement does.
  public var kind: SQLStatementKind
  /// The table written (CREATE, INSERT, MERGE, UPDATE); nil for a bare SELECT.
  public var target: [String]?
  /// The 1-based line where the statement starts.
  public var line: Int
  /// The 1-based column (in Unicode scalars) where the statement starts.
  public var column: Int
  /// The tables read, sorted, CTE names excluded, as `ColumnSource.table` names them.
  public var reads: [[String]]
  /// The output columns in order.
  public var columns: [OutputColumn]
  /// Statement-level indirect sources, which steer every output column: columns in
  /// JOIN conditions (`join`), WHERE/HAVING/QUALIFY (`filter`), GROUP BY (`groupBy`) and
  /// ORDER BY (`sort`), also from the CTEs and subqueries the statement reads.
  public var indirect: [ColumnSource]
}

/// A statement that was recognised and skipped: it carries no lineage (`USE`, `SET`,
/// `GRANT`, `DELETE`, `ALTER`, `CALL`, DDL without a query, ...).
public struct SkippedStatement: Sendable, Hashable {
  /// Its first word, upper-cased.
  public var keyword: String
  /// The 1-based line of its first word.
  public var line: Int
  /// The 1-based column (in Unicode scalars) of its first word.
  public var column: Int
}

/// A located problem in the SQL.
public struct SQLDiagnostic: Sendable, Hashable, CustomStringConvertible {
  /// `sql-parse` (an error), `sql-unresolved-column`, `sql-ambiguous-column`,
  /// `sql-unknown-schema` or `sql-unsupported` (warnings).
  public var rule: String
  /// `error` for `sql-parse`, `warning` otherwise.
  public var severity: Severity
  /// One sentence: what is wrong (for parse errors, what was expected and what was found).
  public var message: String
  /// The 1-based line in the SQL text.
  public var line: Int
  /// The 1-based column in the SQL text, in Unicode scalars.
  public var column: Int
  /// What to do about it.
  public var hint: String

  /// Creates a diagnostic.
  public init(rule: String, severity: Severity, message: String, line: Int, column: Int, hint: String) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.line = line
    self.column = column
    self.hint = hint
  }

  /// `line:column: severity: message [rule]`.
  public var description: String { "\(line):\(column): \(severity.rawValue): \(message) [\(rule)]" }
}

/// The result of analysing a SQL text.
public struct SQLAnalysis: Sendable, Hashable {
  /// One entry per statement read (parse errors and skipped statements have none).
  public var statements: [StatementLineage]
  /// Statements recognised and skipped.
  public var skipped: [SkippedStatement]
  /// Diagnostics in text order.
  public var findings: [SQLDiagnostic]

  /// True when some statement could not be parsed.
  public var hasParseErrors: Bool { findings.contains { $0.rule == "sql-parse" } }
}

/// Column lineage from SQL text.
public enum SQLLineage {
  /// The largest text read: 256 MiB (token, node and list indices are 32-bit).
  public static let maxInputBytes = 256 << 20

  /// Tokenizes, parses and analyses `sql` (one or more statements separated by `;`).
  ///
  /// Never fails: what cannot be read becomes a located `sql-parse` finding, and the
  /// parser goes on at the next `;`. Input larger than `maxInputBytes` is refused with
  /// one finding. Recursion is bounded: the call needs about 400 KiB of stack in a
  /// debug build (much less in release), so it runs on any thread of 512 KiB or more.
  public static func analyze(_ sql: String, dialect: SQLDialect = .generic, schema: SQLSchema = SQLSchema())
    -> SQLAnalysis
  {
    var text = sql
    return text.withUTF8 { buf in analyze(bytes: buf, dialect: dialect, schema: schema) }
  }

  /// As `analyze(_:dialect:schema:)`, over UTF-8 bytes.
  ///
  /// A text of 512 KiB or more is parsed and analysed in two halves on two threads
  /// when the machine has more than one processor; the answer is the one pass's, byte
  /// for byte (a second half that names a table the first half creates is read again
  /// after it).
  public static func analyze(
    bytes: UnsafeBufferPointer<UInt8>, dialect: SQLDialect = .generic,
    schema: SQLSchema = SQLSchema()
  ) -> SQLAnalysis {
    analyze(
      bytes: bytes, dialect: dialect, schema: schema,
      parallelAbove: processorCount > 1 ? parallelThreshold : Int.max)
  }

  /// As `analyze(bytes:dialect:schema:)`, reading texts of `parallelAbove` bytes or more
  /// in two halves (tests lower it to compare both ways on small texts).
  static func analyze(
    bytes: UnsafeBufferPointer<UInt8>, dialect: SQLDialect, schema: SQLSchema, parallelAbove: Int
  ) -> SQLAnalysis {
    if bytes.count > SQLLineage.maxInputBytes {
      return SQLAnalysis(
        statements: [], skipped: [],
        findings: [
          SQLDiagnostic(
            rule: "sql-parse", severity: .error, message: "SQL text larger than 256 MiB is not read",
            line: 1, column: 1, hint: "split the input into several texts")
        ])
    }
    var halves: [Chunk] = []
    if bytes.count >= parallelAbove, let cut = byteSplit(bytes) {
      // Two halves on two threads, each tokenized, parsed and analysed on its own. The
      // cut is a line start after a ';': when the first half's tokens end exactly there
      // with that ';' at depth 0, both halves read what one pass reads; else (the ';'
      // was in a comment or a string) the text is read again the other way.
      var line: Int32 = 1
      for b in UnsafeBufferPointer(rebasing: bytes[..<cut]) where b == 0x0A { line += 1 }
      halves = ChunkBox(
        bytes: bytes, dialect: dialect, schema: schema,
        sources: [.text(from: 0, line: 1, until: cut), .text(from: cut, line: line, until: nil)]
      ).run()
      if !halves[0].cleanCut { halves = [] }
    }
    if halves.isEmpty {
      var tokenizer = Tokenizer(bytes: bytes, dialect: dialect)
      tokenizer.run()
      let tokens = tokenizer.tokens
      let lexErrors = tokenizer.errors
      tokenizer.tokens = []
      if bytes.count >= parallelAbove, let split = splitPoint(tokens) {
        // The same at a token: a ';' after the middle that ends its line at depth 0.
        let first =
          Array(tokens[...split]) + [
            Token(
              kind: .eof, keyword: .none, start: tokens[split].end,
              end: tokens[split].end, line: tokens[split].line, column: tokens[split].column + 1)
          ]
        let second = Array(tokens[(split + 1)...])
        halves = ChunkBox(
          bytes: bytes, dialect: dialect, schema: schema, sources: [.tokens(first), .tokens(second)]
        ).run()
        halves[0].lexErrors = lexErrors
      } else {
        halves = [Chunk.analyze(bytes: bytes, dialect: dialect, schema: schema, source: .tokens(tokens))]
        halves[0].lexErrors = lexErrors
      }
    }
    if halves.count == 2 {
      // A later half that names a table an earlier half creates or inserts into must see
      // what that statement taught the schema: it is read again after the first half.
      let created = Set(halves[0].statements.compactMap { $0.target?.last.map(asciiLowercased) })
      let dependent =
        !created.isEmpty
        && halves[1].statements.contains { s in
          s.reads.contains { created.contains(asciiLowercased($0.last ?? "")) }
            || (s.target.map { created.contains(asciiLowercased($0.last ?? "")) } ?? false)
        }
      if dependent {
        let lexErrors = halves[1].lexErrors
        halves[1] = Chunk.analyze(
          bytes: bytes, dialect: dialect, schema: halves[0].learnt, source: .tokens(halves[1].tokens))
        halves[1].lexErrors = lexErrors
      }
    }
    var findings: [SQLDiagnostic] = []
    for h in halves {
      findings.append(
        contentsOf: h.lexErrors.map {
          SQLDiagnostic(
            rule: "sql-parse", severity: .error, message: $0.message, line: Int($0.line), column: Int($0.column),
            hint: $0.hint)
        })
    }
    var statements: [StatementLineage] = []
    var skipped: [SkippedStatement] = []
    for h in halves { findings.append(contentsOf: h.parseFindings) }
    for h in halves {
      findings.append(contentsOf: h.analysisFindings)
      statements.append(contentsOf: h.statements)
      skipped.append(contentsOf: h.skipped)
    }
    findings.sort { a, b in
      if a.line != b.line { return a.line < b.line }
      if a.column != b.column { return a.column < b.column }
      return a.rule < b.rule
    }
    return SQLAnalysis(statements: statements, skipped: skipped, findings: findings)
  }

  /// Texts of at least this many bytes are read in two halves on two threads.
  static let parallelThreshold = 512 * 1024

  /// The processors online (1 when unknown).
  static let processorCount: Int = {
    #if canImport(Glibc)
      return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #elseif canImport(Darwin)
      return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
    #else
      return 1
    #endif
  }()

  /// The first line start after the middle of `bytes` whose previous line ends with
  /// `;` (blanks aside), or nil.
  static func byteSplit(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var k = bytes.count / 2
    while k < bytes.count - 1 {
      if bytes[k] == 0x0A {
        var j = k - 1
        while j > 0 && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D) { j -= 1 }
        if bytes[j] == 0x3B { return k + 1 }
      }
      k += 1
    }
    return nil
  }

  /// The `;` token nearest after the middle of `tokens` that ends a statement at
  /// parenthesis depth 0 and is the last token of its line, or nil.
  static func splitPoint(_ tokens: [Token]) -> Int? {
    guard tokens.count > 16 else { return nil }
    let middle = tokens.count / 2
    var depth = 0
    for i in 0..<(tokens.count - 1) {
      switch tokens[i].kind {
      case .lparen: depth += 1
      case .rparen: depth = max(0, depth - 1)
      case .semicolon:
        if i >= middle && depth == 0 && tokens[i + 1].line > tokens[i].line { return i }
      default: break
      }
    }
    return nil
  }
}

/// What one thread reads: tokens, or a part of the text to tokenize first (from a line
/// start, numbered `line`, to `until` or the end).
enum ChunkSource: Sendable {
  case tokens([Token])
  case text(from: Int, line: Int32, until: Int?)
}

/// One run of the parser and the analyser over a range of tokens.
struct Chunk: Sendable {
  var statements: [StatementLineage] = []
  var skipped: [SkippedStatement] = []
  var lexErrors: [LexError] = []
  var parseFindings: [SQLDiagnostic] = []
  var analysisFindings: [SQLDiagnostic] = []
  /// The schema with what the statements created or inserted into.
  var learnt: SQLSchema
  /// The tokens read (for a second reading with another schema).
  var tokens: [Token] = []
  /// For a part of the text that ends before the end: true when its tokens ended
  /// exactly there, with a `;` at parenthesis depth 0.
  var cleanCut = true

  static func analyze(
    bytes: UnsafeBufferPointer<UInt8>, dialect: SQLDialect, schema: SQLSchema, source: ChunkSource
  ) -> Chunk {
    var chunk = Chunk(learnt: schema)
    let tokens: [Token]
    switch source {
    case .tokens(let t):
      tokens = t
    case .text(let from, let line, let until):
      var tokenizer = Tokenizer(bytes: bytes, dialect: dialect, expectedBytes: (until ?? bytes.count) - from)
      tokenizer.start(at: from, line: line)
      if let until {
        tokenizer.scan(until: until)
        var depth = 0
        for t in tokenizer.tokens {
          if t.kind == .lparen { depth += 1 } else if t.kind == .rparen { depth = max(0, depth - 1) }
        }
        guard tokenizer.position == until, let last = tokenizer.tokens.last, last.kind == .semicolon, depth == 0
        else {
          chunk.cleanCut = false
          return chunk
        }
        tokenizer.tokens.append(
          Token(kind: .eof, keyword: .none, start: last.end, end: last.end, line: last.line, column: last.column + 1))
      } else {
        tokenizer.run()
      }
      chunk.lexErrors = tokenizer.errors
      tokens = tokenizer.tokens
    }
    var parser = Parser(bytes: bytes, tokens: tokens, dialect: dialect)
    parser.stack = StackGuard()
    parser.parseAll()
    for e in parser.errors {
      let tok = parser.tokens[Int(e.token)]
      chunk.parseFindings.append(
        SQLDiagnostic(
          rule: "sql-parse", severity: .error, message: e.message, line: Int(tok.line),
          column: Int(tok.column), hint: e.hint))
    }
    var analyzer = Analyzer(parser: parser, schema: schema)
    analyzer.stack = StackGuard()
    chunk.statements.reserveCapacity(parser.statements.count)
    for s in parser.statements {
      chunk.statements.append(analyzer.analyzeStatement(s))
    }
    chunk.analysisFindings = analyzer.diagnostics
    chunk.skipped = parser.skipped.map { s in
      let tok = parser.tokens[Int(s.token)]
      return SkippedStatement(keyword: s.keyword, line: Int(tok.line), column: Int(tok.column))
    }
    chunk.learnt = analyzer.schema
    chunk.tokens = tokens
    return chunk
  }
}

/// The inputs of two chunks, handed to two threads: the text's bytes are only read,
/// and each thread writes its own slot of the result.
private struct ChunkBox: @unchecked Sendable {
  let bytes: UnsafeBufferPointer<UInt8>
  let dialect: SQLDialect
  let schema: SQLSchema
  let sources: [ChunkSource]

  func run() -> [Chunk] {
    var out = [Chunk?](repeating: nil, count: sources.count)
    out.withUnsafeMutableBufferPointer { buffer in
      let slots = Slots(base: buffer)
      DispatchQueue.concurrentPerform(iterations: sources.count) { i in
        slots.base[i] = Chunk.analyze(bytes: bytes, dialect: dialect, schema: schema, source: sources[i])
      }
    }
    return out.map { $0 ?? Chunk(learnt: schema) }
  }
}

/// Result slots written by distinct threads, one slot each.
private struct Slots: @unchecked Sendable {
  let base: UnsafeMutableBufferPointer<Chunk?>
}
