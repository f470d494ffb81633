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
}
