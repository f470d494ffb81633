import LineageCore
import Testing

@testable import LineageSQL

/// WITH RECURSIVE: the output columns take sources from the recursive member as well as
/// the anchor, to a fixed point.
@Suite struct RecursiveCTETests {
  @Test func recursiveMemberSourcesReachTheOutput() {
    let a = analyze(
      """
      with recursive r (id, parent, root) as (
        select customer_id, customer_id, name from customers
        union all
        select o.order_id, r.id, r.root from orders o join r on o.customer_id = r.id
      )
      select id, parent, root from r
      """)
    #expect(sources(a, "id") == ["shop.main.customers.customer_id:identity", "shop.main.orders.order_id:identity"])
    // parent is the previous level's id: both tables' ids, through the recursion.
    #expect(
      sources(a, "parent") == ["shop.main.customers.customer_id:identity", "shop.main.orders.order_id:identity"])
    #expect(sources(a, "root") == ["shop.main.customers.name:identity"])
    #expect(
      indirect(a) == [
        "shop.main.customers.customer_id:join", "shop.main.orders.customer_id:join", "shop.main.orders.order_id:join",
      ])
    #expect(a.findings.isEmpty)
  }

  @Test func rotatingColumnsReachAFixedPoint() {
    // Each pass moves every column's sources one column to the left: after three passes
    // every column has all three, and the fourth changes nothing.
    let a = SQLLineage.analyze(
      "with recursive r (a, b, c) as (select x, y, z from t union all select b, c, a from r) select a, b, c from r",
      dialect: .duckdb)
    for column in ["a", "b", "c"] {
      #expect(sources(a, column) == ["t.x:identity", "t.y:identity", "t.z:identity"], "\(column)")
    }
  }

  @Test func aCTEThatDoesNotReadItselfIsReadOnce() {
    let a = SQLLineage.analyze(
      "with recursive c as (select x + 1 as y from t) select y from c", dialect: .duckdb)
    #expect(sources(a, "y") == ["t.x:transformation"])
  }

  @Test func transformsCombineThroughTheRecursion() {
    // n + 1 over the previous level: the anchor's identity and the member's transformation.
    let a = SQLLineage.analyze(
      "with recursive r (n) as (select x from t union all select n + 1 from r where n < 10) select n from r",
      dialect: .duckdb)
    #expect(sources(a, "n") == ["t.x:identity", "t.x:transformation"])
    #expect(indirect(a) == ["t.x:filter"])
  }
}
