import LineageCore
import PropertyBased
import Testing

@testable import LineageSQL

/// A large text is read in two halves on two threads; the answer must be the one pass's,
/// byte for byte, whatever the statements (and however broken).
@Suite struct ParallelAnalysisTests {
  static func both(_ sql: String, _ dialect: SQLDialect = .duckdb, schema: SQLSchema = shopSchema())
    -> (one: SQLAnalysis, halves: SQLAnalysis)
  {
    var text = sql
    return text.withUTF8 { bytes in
      (
        SQLLineage.analyze(bytes: bytes, dialect: dialect, schema: schema, parallelAbove: Int.max),
        SQLLineage.analyze(bytes: bytes, dialect: dialect, schema: schema, parallelAbove: 0)
      )
    }
  }

  /// The first statement, skipped statement or finding on which two analyses differ.
  static func firstDifference(_ a: SQLAnalysis, _ b: SQLAnalysis) -> String {
    for (x, y) in zip(a.statements, b.statements) where x != y { return "statement:\n  \(x)\n  \(y)" }
    for (x, y) in zip(a.findings, b.findings) where x != y { return "finding:\n  \(x)\n  \(y)" }
    if a.skipped != b.skipped { return "skipped: \(a.skipped) vs \(b.skipped)" }
    return
      "counts: \(a.statements.count)/\(b.statements.count) statements, \(a.findings.count)/\(b.findings.count) findings"
  }

  @Test func theSplitIsAStatementBoundaryOnALineOfItsOwn() {
    var text = "select 1; select (2;\n 3);\n"
    for i in 0..<20 { text += "select a\(i) from t; select b from u;\n" }
    var tokenizer = text.withUTF8 { bytes in
      var t = Tokenizer(bytes: bytes, dialect: .duckdb)
      t.run()
      return t
    }
    let split = SQLLineage.splitPoint(tokenizer.tokens)
    let tokens = tokenizer.tokens
    tokenizer.tokens = []
    guard let i = split else {
      Issue.record("no split point in \(tokens.count) tokens")
      return
    }
    #expect(tokens[i].kind == .semicolon)
    #expect(tokens[i + 1].line > tokens[i].line)
    #expect(i >= tokens.count / 2)
    // No split in a text of one line, or inside parentheses.
    #expect(SQLLineage.splitPoint(Self.tokens(String(repeating: "select a from t; ", count: 40))) == nil)
    #expect(SQLLineage.splitPoint(Self.tokens("select (" + String(repeating: "a;\n", count: 40) + ")")) == nil)
  }

  static func tokens(_ text: String) -> [Token] {
    var text = text
    return text.withUTF8 { bytes in
      var t = Tokenizer(bytes: bytes, dialect: .duckdb)
      t.run()
      return t.tokens
    }
  }

  @Test func aCutInsideACommentOrAStringFallsBackToOnePass() {
    let filler = String(repeating: "select order_id from orders;\n", count: 20)
    for middle in ["/* ;\n", "select ';\n", "select (;\n", "-- ;\n"] {
      let closing = middle.hasPrefix("/*") ? "*/ select 1;\n" : middle.hasPrefix("select '") ? "';\n" : ");\n"
      let text = filler + middle + filler + closing + filler
      let (one, halves) = Self.both(text)
      #expect(one == halves, "\(Self.firstDifference(one, halves))")
    }
  }

  @Test func aSecondHalfReadingWhatTheFirstCreatedSeesItsColumns() {
    var text = "create table shop.main.big_orders as select order_id, amount * 2 as doubled from orders;\n"
    for _ in 0..<30 { text += "select order_id from orders;\n" }
    text += "select * from big_orders;\ninsert into big_orders select order_id, amount from payments;\n"
    let (one, halves) = Self.both(text)
    #expect(one == halves)
    let last = one.statements[one.statements.count - 2]
    #expect(last.columns.map(\.name) == ["order_id", "doubled"])
    #expect(last.columns.allSatisfy { !$0.isUnexpandedStar })
  }

  @Test func findingsKeepTheirOrderAndTheirPerLineDeduplication() {
    var text = ""
    for i in 0..<40 {
      text += i % 7 == 3 ? "select from where;\n" : "select nope\(i % 3), x from missing_\(i % 5);\n"
      if i % 11 == 0 { text += "use warehouse w;\n" }
    }
    text += "select 'unterminated"
    let (one, halves) = Self.both(text)
    #expect(one == halves)
    #expect(!one.findings.isEmpty && !one.skipped.isEmpty)
  }

  /// Random statement sequences from the parser's accepted statements, the working-schema
  /// statements and broken fragments, in every dialect: one pass and two halves agree.
  @Test func randomTextsAgreeBothWays() async {
    let pool =
      ParserTests.accepted.map(\.1) + [
        "create table t1 as select * from orders", "create view v1 as select customer_id, name from customers",
        "select * from t1", "select * from v1 join t1 using (customer_id)",
        "insert into t1 select * from orders", "select nope from t1", "select (1", "select 'x",
        "with a as (select * from t1) select * from a", "use schema s",
        "select 1 /* a comment;\nover lines; */ as one", "select 'a string;\nover lines' as s from t1",
        "select -- a line comment;\n 2 as two", "select (1;\n", "select $$dollar;\nquoted$$ as d",
      ]
    let gen = zip(
      Gen.int(in: 0...(pool.count - 1)).array(of: 2...40),
      Gen.int(in: 0...(SQLDialect.allCases.count - 1)))
    await propertyCheck(count: 300, input: gen) { picks, d in
      let text = picks.map { pool[$0] }.joined(separator: ";\n") + ";\n"
      let (one, halves) = Self.both(text, SQLDialect.allCases[d])
      #expect(one == halves, "\(Self.firstDifference(one, halves))\n\(text)")
    }
  }
}
