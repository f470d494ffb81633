import LineageCore
import Testing

@testable import LineageSQL

/// The shape of a statement: what changes it and what does not.
@Suite struct SQLFingerprintTests {
  static func shape(_ sql: String, _ dialect: SQLDialect = .duckdb) -> SQLShape {
    let a = SQLLineage.analyze(sql, dialect: dialect)
    let shapes = SQLFingerprint.shapes(sql, dialect: dialect, analysis: a) { parts in
      // The environment's database and schema do not count: the last part names it.
      parts.last.map { $0.lowercased() } ?? ""
    }
    return shapes.last ?? .unparsed(textDigest: 0)
  }

  /// Equal columns and clauses (the text's digest aside).
  static func same(_ a: SQLShape, _ b: SQLShape) -> Bool {
    a.parsed && b.parsed && a.columns == b.columns && a.clauses == b.clauses
  }

  /// Column name to fingerprint.
  static func columns(_ s: SQLShape) -> [String: UInt64] {
    Dictionary(s.columns.map { ($0.name.lowercased(), $0.fingerprint) }, uniquingKeysWith: { a, _ in a })
  }

  static let base = """
    with orders as (
        select o.id as order_id, o.customer_id, o.amount / 100 as amount, o.status
        from raw.orders o
        where o.status <> 'test'
    ),
    customers as (
        select c.id as customer_id, c.name from raw.customers c
    )
    select customers.customer_id, customers.name, sum(orders.amount) as total, count(*) as n
    from customers
    left join orders on orders.customer_id = customers.customer_id
    group by 1, 2
    """

  @Test func sameMeaningSameShape() {
    let a = Self.shape(Self.base)
    #expect(a.parsed)
    #expect(a.columns.map(\.name) == ["customer_id", "name", "total", "n"])
    let reformatted = """
      -- reformatted, keyword case, comments, quoting, aliases renamed
      WITH "orders" AS (SELECT ord.ID AS order_id, ord.customer_id, ord.amount/100 AS amount, ord.status
        FROM prod_db.raw.orders AS ord /* alias */ WHERE ord.status <> 'test'),
      cust AS (SELECT x.id AS customer_id, x.name FROM raw.customers x)
      SELECT cust.customer_id, cust.name, SUM(o2.amount) AS total, COUNT(*) AS n
      FROM cust LEFT JOIN "orders" o2 ON o2.customer_id = cust.customer_id
      GROUP BY 1, 2
      """
    #expect(Self.same(Self.shape(reformatted), a))
  }

  @Test func expressionChangeChangesThatColumnOnly() {
    let a = Self.shape(Self.base)
    let b = Self.shape(Self.base.replacingOccurrences(of: "o.amount / 100", with: "o.amount / 1000"))
    let ca = Self.columns(a), cb = Self.columns(b)
    #expect(ca["total"] != cb["total"])
    #expect(ca["customer_id"] == cb["customer_id"])
    #expect(ca["name"] == cb["name"])
    #expect(ca["n"] == cb["n"])
    #expect(a.changedClauses(b).isEmpty)
  }

  @Test func filterChangeIsRowLevel() {
    let a = Self.shape(Self.base)
    let b = Self.shape(Self.base.replacingOccurrences(of: "where o.status <> 'test'", with: "where o.status = 'done'"))
    #expect(a.changedClauses(b) == [.filter])
    #expect(Self.columns(a) == Self.columns(b))
  }

  @Test func joinKindAndConditionAreRowLevel() {
    let a = Self.shape(Self.base)
    let inner = Self.shape(Self.base.replacingOccurrences(of: "left join", with: "inner join"))
    #expect(a.changedClauses(inner) == [.join])
    let on = Self.shape(
      Self.base.replacingOccurrences(
        of: "orders.customer_id = customers.customer_id", with: "orders.order_id = customers.customer_id"))
    #expect(a.changedClauses(on) == [.join])
  }

  @Test func rowLevelClauseKinds() {
    let plain = Self.shape("select a, b from t")
    #expect(plain.changedClauses(Self.shape("select distinct a, b from t")) == [.distinct])
    #expect(plain.changedClauses(Self.shape("select a, b from t limit 10")) == [.limit])
    #expect(
      Self.shape("select a, b from t limit 10").changedClauses(Self.shape("select a, b from t limit 20")) == [.limit])
    #expect(plain.changedClauses(Self.shape("select a, b from t union all select a, b from u")).contains(.setOperation))
    let grouped = Self.shape("select a, count(*) as n from t group by a having count(*) > 1")
    #expect(
      grouped.changedClauses(Self.shape("select a, count(*) as n from t group by a having count(*) > 2")) == [.having])
    let q = Self.shape("select a, row_number() over (order by b) as r from t qualify r = 1", .snowflake)
    #expect(
      q.changedClauses(Self.shape("select a, row_number() over (order by b) as r from t qualify r = 2", .snowflake))
        == [.qualify])
  }

  @Test func windowFramesAndIntervalUnitsCount() {
    let frame = "select a, sum(b) over (partition by a order by c rows between 1 preceding and current row) as s from t"
    let a = Self.shape(frame)
    let wider = Self.shape(frame.replacingOccurrences(of: "1 preceding", with: "3 preceding"))
    #expect(Self.columns(a)["s"] != Self.columns(wider)["s"])
    #expect(Self.columns(a)["a"] == Self.columns(wider)["a"])
    #expect(a.changedClauses(wider).isEmpty)
    let range = Self.shape(frame.replacingOccurrences(of: "rows between", with: "range between"))
    #expect(Self.columns(a)["s"] != Self.columns(range)["s"])
    let noFrame = Self.shape("select a, sum(b) over (partition by a order by c) as s from t")
    #expect(Self.columns(a)["s"] != Self.columns(noFrame)["s"])
    // Keyword case and layout inside the frame do not count.
    let cased = Self.shape(
      frame.replacingOccurrences(of: "rows between 1 preceding", with: "ROWS  BETWEEN 1 PRECEDING"))
    #expect(Self.same(a, cased))

    let day = Self.shape("select a, d + interval '1' day as due from t", .bigquery)
    let hour = Self.shape("select a, d + interval '1' hour as due from t", .bigquery)
    #expect(Self.columns(day)["due"] != Self.columns(hour)["due"])
    #expect(Self.same(day, Self.shape("SELECT a, d + INTERVAL '1' DAY AS due FROM t", .bigquery)))
  }

  @Test func limitInsideAnExpressionIsThatColumnsChange() {
    let sql = "select a, (select max(x) from u where u.k = t.a order by x limit 1) as top from t"
    let a = Self.shape(sql)
    let b = Self.shape(sql.replacingOccurrences(of: "limit 1", with: "limit 2"))
    #expect(a.changedClauses(b).isEmpty)
    #expect(Self.columns(a)["top"] != Self.columns(b)["top"])
    #expect(Self.columns(a)["a"] == Self.columns(b)["a"])
    // In EXISTS and IN too; a LIMIT of a derived table still decides the rows.
    let ex = "select a from t where exists (select 1 from u limit 1)"
    let exB = Self.shape(ex.replacingOccurrences(of: "limit 1", with: "limit 5"))
    #expect(Self.shape(ex).changedClauses(exB) == [.filter])
    let derived = "select a from (select a from t limit 10) d"
    #expect(
      Self.shape(derived).changedClauses(Self.shape(derived.replacingOccurrences(of: "10", with: "20"))) == [.limit])
    // The statement's own LIMIT after an expression subquery is still seen.
    let both = "select a, (select 1 limit 1) as one from t limit 10"
    #expect(
      Self.shape(both).changedClauses(Self.shape(both.replacingOccurrences(of: "limit 10", with: "limit 20")))
        == [.limit])
  }

  @Test func columnLinesPointAtTheDefiningExpression() {
    let sql = """
      with renamed as (
          select
              id as payment_id,
              amount / 100 as amount
          from raw.payments
      )
      select *,
        payment_id * 2 as twice
      from renamed
      """
    let s = Self.shape(sql)
    #expect(s.columns.map(\.name) == ["payment_id", "amount", "twice"])
    #expect(s.columnLines == [3, 4, 8])
    #expect(s.line(ofColumn: "AMOUNT") == 4)
    #expect(s.line(ofColumn: "missing") == nil)
    // A table's own column passed through `*` has no defining expression here.
    #expect(Self.shape("select * from t").columnLines.allSatisfy { $0 == 0 })
  }

  @Test func renameKeepsTheFingerprint() {
    let a = Self.columns(Self.shape("select id, amount * 2 as doubled from t"))
    let b = Self.columns(Self.shape("select id, amount * 2 as twice from t"))
    #expect(a["doubled"] == b["twice"])
    #expect(a["doubled"] != nil)
  }

  @Test func starExpandsThroughCTEs() {
    let a = Self.shape("with x as (select id, amount * 2 as v from t) select * from x")
    let b = Self.shape("with x as (select id, amount * 3 as v from t) select * from x")
    #expect(a.columns.map(\.name) == ["id", "v"])
    #expect(Self.columns(a)["id"] == Self.columns(b)["id"])
    #expect(Self.columns(a)["v"] != Self.columns(b)["v"])
    // A renamed CTE means the same.
    #expect(Self.same(Self.shape("with y as (select id, amount * 2 as v from t) select * from y"), a))
  }

  @Test func castTypesSortDirectionAndNullTestsCount() {
    func differ(_ x: String, _ y: String) -> Bool {
      Self.columns(Self.shape(x))["c"] != Self.columns(Self.shape(y))["c"]
    }
    #expect(differ("select a::int as c from t", "select a::bigint as c from t"))
    #expect(differ("select cast(a as int) as c from t", "select cast(a as varchar) as c from t"))
    #expect(
      differ(
        "select row_number() over (order by b asc) as c from t",
        "select row_number() over (order by b desc) as c from t"
      ))
    #expect(differ("select a is null as c from t", "select a is not null as c from t"))
    #expect(differ("select a - b as c from t", "select b - a as c from t"))
    #expect(!differ("select A + 1 as c from T", "select a+1 as c from t"))
  }

  @Test func parseErrorsGiveAnUnparsedShape() {
    let s = Self.shape("select (a from t")
    #expect(!s.parsed)
    #expect(s.columns.isEmpty)
    #expect(s.textDigest == SQLShape.digest("select (a from t".utf8))
  }

  @Test func deepChainsStayBounded() {
    // 400 CTEs each reading the one before: the definition of the last column goes
    // through all of them; the stack budget stops it, never a crash.
    var sql = "with c0 as (select a from t)"
    for i in 1..<400 { sql += ", c\(i) as (select a + 1 as a from c\(i - 1))" }
    sql += " select a from c399"
    let s = Self.shape(sql)
    #expect(s.parsed)
    #expect(s.columns.count == 1)
    #expect(Self.shape(sql) == s)
  }
}
