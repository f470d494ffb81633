import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// `diff` of two versions of a dbt project compared by their SQL: edits applied to the
/// compiled SQL of the corpus manifests, each with the classification and blast radius
/// it must get.
@Suite struct SQLDiffTests {
  static let jaffle = Corpus.bundled + "/dbt_jaffle_shop_classic/target"

  /// A copy of the manifest in `dir` (and its catalog) with each `(model, old, new)`
  /// replacement applied to the model's compiled SQL, loaded.
  static func edited(_ dir: String, _ edits: [(String, String, String)]) throws -> LineageModel {
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    for (model, old, new) in edits {
      var n = try #require(nodes[model] as? [String: Any])
      let code = try #require(n["compiled_code"] as? String)
      #expect(code.contains(old), "\(model) has no '\(old)'")
      n["compiled_code"] = code.replacingOccurrences(of: old, with: new)
      nodes[model] = n
    }
    top["nodes"] = nodes
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("sql-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    try JSONSerialization.data(withJSONObject: top).write(to: out.appendingPathComponent("manifest.json"))
    if FileManager.default.fileExists(atPath: dir + "/catalog.json") {
      try FileManager.default.copyItem(
        atPath: dir + "/catalog.json", toPath: out.appendingPathComponent("catalog.json").path)
    }
    return try ModelLoader.load(path: out.appendingPathComponent("manifest.json").path)
  }

  static func changes(_ edits: [(String, String, String)], in dir: String = jaffle) throws -> [MeshChange] {
    let base = try ModelLoader.load(path: dir + "/manifest.json")
    return MeshDiff.compare(base: base, head: try edited(dir, edits)).changes
  }

  static func summary(_ c: [MeshChange]) -> [String] {
    c.map { "\($0.kind.rawValue) \($0.product)\($0.column.map { "." + $0 } ?? "") \($0.breaking)" }
  }

  static func affected(_ c: MeshChange) -> [String] {
    guard let r = c.impact, let m = c.impactModel else { return [] }
    return r.affected.map { "\($0.verdict.rawValue) \(m.graph.id($0.node))" }
  }

  static let orders = "model.jaffle_shop.orders"
  static let payments = "model.jaffle_shop.stg_payments"
  static let stgOrders = "model.jaffle_shop.stg_orders"
  static let statusTest =
    "test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3"

  @Test func everyModelHasAParsedShape() throws {
    let m = try ModelLoader.load(path: Self.jaffle + "/manifest.json")
    let models = m.mesh.nodes.filter { $0.id.hasPrefix("model.") }.map(\.id)
    #expect(models.count == 5)
    for id in models { #expect(m.sqlShapes[id]?.parsed == true, "\(id)") }
    #expect(MeshDiff.compare(base: m, head: m).changes.isEmpty)
  }

  @Test func droppedColumnBreaksItsReaders() throws {
    let c = try Self.changes([(Self.orders, "orders.status,", "")])
    #expect(Self.summary(c) == ["column-dropped model.jaffle_shop.orders.status true"])
    #expect(Self.affected(c[0]) == ["breaks " + Self.statusTest])
  }

  @Test func renamedColumnIsARename() throws {
    let c = try Self.changes([(Self.orders, "orders.status,", "orders.status as order_status,")])
    #expect(Self.summary(c) == ["column-renamed model.jaffle_shop.orders.order_status true"])
    #expect(c[0].detail == "column status renamed to order_status (same expression)")
    #expect(Self.affected(c[0]) == ["breaks " + Self.statusTest])
  }

  @Test func addedColumnIsNotBreaking() throws {
    let c = try Self.changes([(Self.orders, "orders.status,", "orders.status,\n upper(orders.status) as status_code,")])
    #expect(Self.summary(c) == ["column-added model.jaffle_shop.orders.status_code false"])
    #expect(c[0].impact == nil)
  }

  /// A new expression for stg_payments.amount: the columns derived from it, through
  /// orders' CASE sums and customers' lifetime value, and their tests, and nothing else.
  @Test func expressionChangeReachesTheReadersOfThatColumnOnly() throws {
    let c = try Self.changes([(Self.payments, "amount / 100 as amount", "amount / 1000 as amount")])
    #expect(Self.summary(c) == ["column-expression-changed model.jaffle_shop.stg_payments.amount true"])
    let r = try #require(c[0].impact)
    let m = try #require(c[0].impactModel)
    let byNode = Dictionary(uniqueKeysWithValues: r.affected.map { (m.graph.id($0.node), $0) })
    #expect(byNode["model.jaffle_shop.customers"]?.columns == ["customer_lifetime_value"])
    #expect(
      byNode[Self.orders]?.columns == [
        "amount", "bank_transfer_amount", "coupon_amount", "credit_card_amount", "gift_card_amount",
      ])
    #expect(byNode["test.jaffle_shop.not_null_orders_amount.106140f9fd"] != nil)
    #expect(byNode[Self.statusTest] == nil)
    #expect(byNode["test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1"] == nil)
    #expect(r.affected.allSatisfy { $0.verdict == .mayBreak })
    // The gate: values change, nothing fails to run; may-break fails it.
    #expect(DiffGate.decide(c, threshold: .breaks, ignores: [], today: "2026-01-01").passed)
    #expect(!DiffGate.decide(c, threshold: .mayBreak, ignores: [], today: "2026-01-01").passed)
  }

  @Test func addedFilterChangesTheRowsOfEveryReader() throws {
    let c = try Self.changes([(Self.stgOrders, "    from source\n", "    from source where status <> 'returned'\n")])
    #expect(Self.summary(c) == ["rows-changed model.jaffle_shop.stg_orders true"])
    #expect(c[0].detail.contains("(WHERE added)"))
    let ids = Set(Self.affected(c[0]))
    // Everything downstream of stg_orders: both models that read it and every test on them.
    #expect(ids.contains("may-break model.jaffle_shop.orders"))
    #expect(ids.contains("may-break model.jaffle_shop.customers"))
    #expect(ids.contains("may-break " + Self.statusTest))
    #expect(!ids.contains("may-break model.jaffle_shop.stg_payments"))
  }

  @Test func changedJoinIsRowLevel() throws {
    let c = try Self.changes([(Self.orders, "left join order_payments", "inner join order_payments")])
    #expect(Self.summary(c) == ["rows-changed model.jaffle_shop.orders true"])
    #expect(c[0].detail.contains("(JOIN changed)"))
    #expect(c[0].impact?.affected.count == 10)
  }

  @Test func reformattingAndRenamingAliasesChangeNothing() throws {
    let c = try Self.changes([
      (
        Self.orders, "left join order_payments\n        on orders.order_id = order_payments.order_id",
        "LEFT JOIN order_payments AS op -- renamed\n ON orders.order_id = op.order_id"
      ),
      (Self.orders, "order_payments.credit_card_amount", "op.credit_card_amount"),
      (Self.orders, "order_payments.coupon_amount", "op.coupon_amount"),
      (Self.orders, "order_payments.bank_transfer_amount", "op.bank_transfer_amount"),
      (Self.orders, "order_payments.gift_card_amount", "op.gift_card_amount"),
      (Self.orders, "order_payments.total_amount as amount", "op.total_amount AS amount"),
      (Self.payments, "with source as (", "/* reformatted */ WITH src AS ("),
      (Self.payments, "from source", "FROM   src"),
      (Self.payments, "amount / 100 as amount", "AMOUNT/100 AS \"amount\""),
    ])
    #expect(c.isEmpty, "\(Self.summary(c))")
  }

  @Test func unparsableSQLFallsBackToTheDeclaredColumns() throws {
    let c = try Self.changes([(Self.orders, "select * from final", "select * from final where (")])
    #expect(Self.summary(c).contains("sql-not-compared model.jaffle_shop.orders false"))
    #expect(c.first { $0.kind == .sqlNotCompared }?.detail.contains("could not be parsed in the new version") == true)
  }

  /// The Flipside manifests (Snowflake): every model reformatted (a comment first, every
  /// line indented) compares equal.
  @Test(
    .enabled(if: !Corpus.sharedAbsent, Corpus.sharedOnly),
    arguments: [
      "dbt_flipside_crosschain_models_2022/docs", "dbt_flipside_ethereum_models_2022/docs",
    ])
  func reformattedProjectsHaveNoChanges(_ folder: String) throws {
    let dir = try #require(Corpus.folder(folder))
    let base = try ModelLoader.load(path: dir + "/manifest.json")
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    var edits: [(String, String, String)] = []
    for (k, v) in nodes {
      guard var n = v as? [String: Any], let code = n["compiled_code"] as? String ?? n["compiled_sql"] as? String else {
        continue
      }
      n[n["compiled_code"] != nil ? "compiled_code" : "compiled_sql"] =
        "-- reformatted\n" + code.replacingOccurrences(of: "\n", with: "\n    ")
      nodes[k] = n
      edits.append((k, "", ""))
    }
    top["nodes"] = nodes
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("sql-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    try JSONSerialization.data(withJSONObject: top).write(to: out.appendingPathComponent("manifest.json"))
    try FileManager.default.copyItem(
      atPath: dir + "/catalog.json", toPath: out.appendingPathComponent("catalog.json").path)
    let head = try ModelLoader.load(path: out.appendingPathComponent("manifest.json").path)
    #expect(edits.count > 100)
    // The models (tests have compiled SQL too, but no shape): 68 and 59 of them.
    let parsed = base.sqlShapes.values.filter(\.parsed).count
    #expect(parsed >= 50)
    #expect(MeshDiff.compare(base: base, head: head).changes.isEmpty)
  }

  /// Two directories of `.sql` files.
  @Test func sqlDirectories() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("sql-dirs-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    func write(_ version: String, _ files: [String: String]) throws -> LineageModel {
      let dir = root.appendingPathComponent(version)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
      return try ModelLoader.load(path: dir.path)
    }
    let base = try write(
      "base",
      [
        "orders.sql":
          "create view analytics.orders as select o.id, o.amount * 100 as cents, o.status from raw.orders o",
        "report.sql":
          "create view analytics.report as select r.status, sum(r.cents) as total from analytics.orders r group by r.status",
      ])
    let same = try write(
      "same",
      [
        "orders.sql":
          "CREATE VIEW analytics.orders AS\nSELECT x.id, x.amount*100 AS cents, x.status\nFROM raw.orders AS x",
        "report.sql":
          "create view analytics.report as select status, sum(cents) as total from analytics.orders group by status -- same",
      ])
    #expect(MeshDiff.compare(base: base, head: same).changes.isEmpty)
    let head = try write(
      "head",
      [
        "orders.sql": "create view analytics.orders as select o.id, o.amount * 10 as cents, o.status from raw.orders o",
        "report.sql":
          "create view analytics.report as select r.status, sum(r.cents) as total from analytics.orders r group by r.status",
      ])
    let c = MeshDiff.compare(base: base, head: head).changes
    #expect(Self.summary(c) == ["column-expression-changed analytics.orders.cents true"])
    #expect(Self.affected(c[0]) == ["may-break analytics.report"])
    #expect(c[0].impact?.affected.first?.columns == ["total"])
  }
}
