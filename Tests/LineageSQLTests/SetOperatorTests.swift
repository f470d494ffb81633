import LineageCore
import Testing

@testable import LineageSQL

/// EXCEPT, MINUS and INTERSECT output the left branch's values; the right branch's
/// columns only filter rows (docs/sql-crosscheck.md, bug 2).
@Suite struct SetOperatorTests {
  func ab() -> SQLSchema {
    var s = SQLSchema()
    s.addTable(["DB", "S", "A"], columnNames: ["X"])
    s.addTable(["DB", "S", "B"], columnNames: ["Y"])
    s.addTable(["DB", "S", "C"], columnNames: ["Z"])
    return s
  }

  @Test func exceptMinusIntersectTakeValuesFromTheLeft() {
    for op in ["except", "minus", "intersect", "except all", "intersect distinct"] {
      let a = SQLLineage.analyze(
        "select x from db.s.a \(op) select y from db.s.b where y > 0", dialect: .snowflake, schema: ab())
      #expect(sources(a, "x") == ["DB.S.A.X:identity"], "\(op)")
      #expect(indirect(a) == ["DB.S.B.Y:filter"], "\(op)")
    }
  }

  @Test func mixedChains() {
    let a = SQLLineage.analyze(
      "select x from db.s.a union select y from db.s.b except select upper(z) from db.s.c",
      dialect: .snowflake, schema: ab())
    #expect(sources(a, "x") == ["DB.S.A.X:identity", "DB.S.B.Y:identity"])
    #expect(indirect(a) == ["DB.S.C.Z:filter"])
    let b = SQLLineage.analyze(
      "select x from db.s.a except select y from db.s.b union select z from db.s.c",
      dialect: .snowflake, schema: ab())
    #expect(sources(b, "x") == ["DB.S.A.X:identity", "DB.S.C.Z:identity"])
    #expect(indirect(b) == ["DB.S.B.Y:filter"])
  }

  @Test func parenthesisedSetOperationIsAQueryEverywhere() {
    let union = "((select a from t) union (select b from u))"
    let statement = SQLLineage.analyze(union, dialect: .duckdb)
    #expect(sources(statement, "a") == ["t.a:identity", "u.b:identity"])
    let derived = SQLLineage.analyze("select q.a from \(union) as q", dialect: .duckdb)
    #expect(sources(derived, "a") == ["t.a:identity", "u.b:identity"])
    let cte = SQLLineage.analyze("with c as \(union) select a from c", dialect: .duckdb)
    #expect(sources(cte, "a") == ["t.a:identity", "u.b:identity"])
    let scalar = SQLLineage.analyze("select \(union) as x", dialect: .duckdb)
    #expect(sources(scalar, "x") == ["t.a:identity", "u.b:identity"])
    let inQuery = SQLLineage.analyze("select v.k from v where v.k in \(union)", dialect: .duckdb)
    #expect(indirect(inQuery) == ["t.a:filter", "u.b:filter", "v.k:filter"])
    let exists = SQLLineage.analyze("select exists \(union) as e", dialect: .duckdb)
    #expect(sources(exists, "e") == ["t.a:conditional", "u.b:conditional"])
    let ordered = SQLLineage.analyze("select ((select a from t) order by a limit 1) as x", dialect: .duckdb)
    #expect(sources(ordered, "x") == ["t.a:identity", "t.a:sort"])
    for a in [statement, derived, cte, scalar, inQuery, exists, ordered] { #expect(!a.hasParseErrors) }
    // A parenthesised subquery inside an expression stays an expression.
    let sum = SQLLineage.analyze("select ((select a from t) + 1) as y", dialect: .duckdb)
    #expect(sources(sum, "y") == ["t.a:transformation"])
    #expect(!sum.hasParseErrors)
  }
}
