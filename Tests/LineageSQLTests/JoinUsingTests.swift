import LineageCore
import Testing

@testable import LineageSQL

/// JOIN ... USING: the joined name is matched as the dialect compares names, and the
/// merged column of `*` takes the stored spelling.
@Suite struct JoinUsingTests {
  /// Snowflake tables as Snowflake stores them: unquoted names upper case, one table
  /// with a quoted lower-case `id` beside `ID`.
  static func schema() -> SQLSchema {
    var s = SQLSchema()
    s.addTable(["DB", "S", "T1"], columnNames: ["ID", "A"])
    s.addTable(["DB", "S", "T2"], columnNames: ["ID", "B"])
    s.addTable(["DB", "S", "MIXED"], columnNames: ["ID", "id", "C"])
    s.addTable(["DB", "S", "LOWER"], columnNames: ["id", "D"])
    return s
  }

  @Test func unquotedNameMatchesTheFoldedColumnAndStarShowsItsStoredName() {
    let a = SQLLineage.analyze("select * from t1 join t2 using (id)", dialect: .snowflake, schema: Self.schema())
    #expect(a.statements[0].columns.map(\.name) == ["ID", "A", "B"])
    #expect(sources(a, "ID") == ["DB.S.T1.ID:identity", "DB.S.T2.ID:identity"])
    #expect(indirect(a) == ["DB.S.T1.ID:join", "DB.S.T2.ID:join"])
    #expect(a.findings.isEmpty)
  }

  @Test func quotedNameMatchesOnlyItsExactSpellingInSnowflake() {
    let a = SQLLineage.analyze(
      "select * from mixed join lower using (\"id\")", dialect: .snowflake, schema: Self.schema())
    // The quoted lower-case id is merged; MIXED's upper-case ID is another column and stays.
    #expect(a.statements[0].columns.map(\.name) == ["id", "ID", "C", "D"])
    #expect(sources(a, "id") == ["DB.S.LOWER.id:identity", "DB.S.MIXED.id:identity"])
    #expect(sources(a, "ID") == ["DB.S.MIXED.ID:identity"])
    #expect(indirect(a) == ["DB.S.LOWER.id:join", "DB.S.MIXED.id:join"])
    // An unqualified quoted reference finds the merged column; a qualified one its table's.
    let b = SQLLineage.analyze(
      "select \"id\" as x, mixed.ID as y from mixed join lower using (\"id\")", dialect: .snowflake,
      schema: Self.schema())
    #expect(sources(b, "x") == ["DB.S.LOWER.id:identity", "DB.S.MIXED.id:identity"])
    #expect(sources(b, "y") == ["DB.S.MIXED.ID:identity"])
  }

  @Test func quotingDoesNotMatterWhereNamesAreCaseInsensitive() {
    var s = SQLSchema()
    s.addTable(["db", "main", "t1"], columnNames: ["id", "a"])
    s.addTable(["db", "main", "t2"], columnNames: ["id", "b"])
    for sql in ["select * from t1 join t2 using (ID)", "select * from t1 join t2 using (\"Id\")"] {
      let a = SQLLineage.analyze(sql, dialect: .duckdb, schema: s)
      #expect(a.statements[0].columns.map(\.name) == ["id", "a", "b"], "\(sql)")
      #expect(sources(a, "id") == ["db.main.t1.id:identity", "db.main.t2.id:identity"], "\(sql)")
    }
  }

  @Test func quotedNameOfAnUnknownTableKeepsItsSpelling() {
    let a = SQLLineage.analyze(
      "select \"Key\" from x join y using (\"Key\")", dialect: .snowflake, schema: SQLSchema())
    #expect(sources(a, "Key") == ["X.Key:identity", "Y.Key:identity"])
    let b = SQLLineage.analyze("select key from x join y using (key)", dialect: .snowflake, schema: SQLSchema())
    #expect(sources(b, "key") == ["X.KEY:identity", "Y.KEY:identity"])
  }
}
