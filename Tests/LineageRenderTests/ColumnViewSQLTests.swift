import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders
@testable import LineageRender

/// A column that steers every column of a reader (a join key or filter of its SQL)
/// is drawn once, to the reader's box, not once per column.
@Suite struct ColumnViewSQLTests {
  @Test func joinKeysOfASQLModelAreDrawnOnce() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let model = try ModelLoader.load(
      path: root + "/Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json")
    let customers = try #require(model.graph.index(of: "model.jaffle_shop.customers"))
    let plan = Views.plan(model, ViewRequest(level: .column, focus: [customers], upstream: 1, downstream: 0))
    let every = plan.diagram.edges.filter { $0.classes.contains("every-column") }
    // stg_customers.customer_id, stg_orders.order_id and customer_id, stg_payments.order_id.
    #expect(every.count == 4, "\(every.map { "\($0.from) \($0.label ?? "")" })")
    #expect(every.allSatisfy { $0.toPort == nil && ($0.label ?? "").hasSuffix("(every column)") })
    // No per-column indirect edge is left to customers from those columns.
    let indirect = plan.diagram.edges.filter { $0.classes.contains("indirect") && !$0.classes.contains("every-column") }
    #expect(indirect.isEmpty, "\(indirect.count) indirect edges left")
    // The direct ones stay per column: customer_id, first_name, last_name and four aggregations.
    let direct = plan.diagram.edges.filter { $0.classes.contains("column-edge") && !$0.classes.contains("indirect") }
    #expect(direct.count == 7, "\(direct.count)")
  }
}
