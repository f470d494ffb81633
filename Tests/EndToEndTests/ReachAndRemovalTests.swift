import Foundation
import Testing

/// Issue 14, "no false answers": `downstream` of a column and `impact --change drop` of
/// it name the same nodes, and a removed product's remaining readers are its blast
/// radius in `diff`. Through the real binary.
@Suite(.serialized) struct ReachAndRemovalTests {
  /// `../shared/corpus/NAME` beside the checkout, else the bundled subset, else nil.
  static func corpus(_ name: String) -> String? {
    let shared = URL(fileURLWithPath: CLI.root).deletingLastPathComponent().path + "/shared/corpus/" + name
    if FileManager.default.fileExists(atPath: shared) { return shared }
    let bundled = CLI.root + "/Tests/LineageLoadersTests/Corpus/" + name
    return FileManager.default.fileExists(atPath: bundled) ? bundled : nil
  }

  static var jaffleShop: String? { corpus("dbt_jaffle_shop_classic/target/manifest.json") }

  static func temporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "lineage-reach-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The node ids `downstream COLUMN` lists (columns left out) and their rows.
  func downstreamNodes(_ column: String, mesh: String, depth: Int? = nil) throws -> [[String: Any]] {
    var args = ["downstream", column, "--mesh", mesh, "--format", "json"]
    if let depth { args += ["--depth", String(depth)] }
    let r = try CLI.run(args)
    #expect(r.status == 0, "\(column): \(r.stderr)")
    let json = try CLI.json(r.stdout)
    #expect(json["level"] as? String == "column")
    return json["nodes"] as? [[String: Any]] ?? []
  }

  func impactIds(_ column: String, mesh: String) throws -> Set<String> {
    let r = try CLI.run([
      "impact", column, "--change", "drop", "--mesh", mesh, "--format", "json", "--fail-on", "never",
    ])
    #expect(r.status == 0, "\(column): \(r.stderr)")
    let affected = try CLI.json(r.stdout)["affected"] as? [[String: Any]] ?? []
    return Set(affected.compactMap { $0["id"] as? String })
  }

  @Test(arguments: [
    "crm.customers.email", "crm.customers.customer_id", "sales.orders.amount_eur", "sales.orders.order_id",
    "finance.fx_rates.rate_to_eur", "catalog.products.product_id", "sales.order_lines.quantity",
  ])
  func columnDownstreamNamesWhatADropAffects(_ column: String) throws {
    let rows = try downstreamNodes(column, mesh: "samples/demo")
    let product = String(column[..<column.lastIndex(of: ".")!])
    let nodes = rows.filter { $0["kind"] as? String != "column" }
    let dropped = try impactIds(column, mesh: "samples/demo")
    #expect(Set(nodes.compactMap { $0["id"] as? String }).subtracting([product]) == dropped)
    // The stable fields, and how each node is reached.
    for row in rows {
      for key in ["id", "kind", "domain", "owner", "depth"] {
        #expect(row.keys.contains(key), "\(key) missing in \(row)")
      }
      let isColumn = row["kind"] as? String == "column"
      #expect((row["via"] == nil) == isColumn, "\(row)")
      #expect((row["through"] == nil) == isColumn, "\(row)")
    }
    let ids = rows.compactMap { $0["id"] as? String }
    #expect(ids == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    // A depth limit is a cut of the same answer.
    let cut = try downstreamNodes(column, mesh: "samples/demo", depth: 1)
    #expect(cut.allSatisfy { ($0["depth"] as? Int ?? 99) <= 1 })
    let shallow = rows.filter { ($0["depth"] as? Int ?? 99) <= 1 }.compactMap { $0["id"] as? String }
    #expect(cut.compactMap { $0["id"] as? String } == shallow)
  }

  @Test func columnDownstreamShowsReadersThatDeclareNoColumns() throws {
    let r = try CLI.run(["downstream", "crm.customers.email", "--mesh", "samples/demo"])
    #expect(r.status == 0)
    #expect(
      r.stdout.contains(
        "support.csat_daily  product  team-support  2 hops    reads support.tickets without declaring columns"))
    let rows = try downstreamNodes("crm.customers.email", mesh: "samples/demo")
    let csat = try #require(rows.first { $0["id"] as? String == "support.csat_daily" })
    #expect(csat["via"] as? String == "reads without declaring columns")
    #expect(csat["through"] as? String == "support.tickets")
    #expect(csat["depth"] as? Int == 2)
  }

  @Test(.disabled(if: jaffleShop == nil, "no jaffle_shop manifest"))
  func dbtColumnDownstreamIsItsDropImpact() throws {
    let manifest = try #require(Self.jaffleShop)
    let column = "model.jaffle_shop.stg_customers.customer_id"
    let rows = try downstreamNodes(column, mesh: manifest)
    let nodes = Set(rows.filter { $0["kind"] as? String != "column" }.compactMap { $0["id"] as? String })
    #expect(nodes.contains("model.jaffle_shop.customers"))
    let dropped = try impactIds(column, mesh: manifest)
    #expect(nodes == dropped)
    // An unknown column is refused the same way by both.
    let down = try CLI.run(["downstream", "model.jaffle_shop.stg_customers.nope", "--mesh", manifest])
    let impact = try CLI.run(["impact", "model.jaffle_shop.stg_customers.nope", "--change", "drop", "--mesh", manifest])
    #expect(down.status == 2 && impact.status == 2)
    #expect(down.stderr.contains("'model.jaffle_shop.stg_customers' has no column 'nope'"))
    #expect(impact.stderr.contains("'model.jaffle_shop.stg_customers' has no column 'nope'"))
  }

  /// samples/demo with sales.order_lines deleted: its readers in other teams break.
  @Test func removedProductFileBreaksItsReaders() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fm = FileManager.default
    try fm.copyItem(atPath: CLI.root + "/samples/demo", toPath: dir + "/base")
    try fm.copyItem(atPath: CLI.root + "/samples/demo", toPath: dir + "/head")
    try fm.removeItem(atPath: dir + "/head/domains/sales/order_lines.yaml")
    let text = try CLI.run(["diff", dir + "/base", dir + "/head", "--today", "2026-11-23"])
    #expect(text.status == 1, "\(text.stdout)\(text.stderr)")
    #expect(
      text.stdout.contains(
        "fails  sales.order_lines  product-removed  product sales.order_lines removed  7 break, 0 may break"))
    let r = try CLI.run(["diff", dir + "/base", dir + "/head", "--format", "json", "--today", "2026-11-23"])
    #expect(r.status == 1)
    let json = try CLI.json(r.stdout)
    #expect(json["passed"] as? Bool == false)
    let changes = json["changes"] as? [[String: Any]] ?? []
    let removed = try #require(changes.first { $0["kind"] as? String == "product-removed" })
    #expect(removed["product"] as? String == "sales.order_lines" && removed["status"] as? String == "fails")
    let affected = removed["affected"] as? [[String: Any]] ?? []
    #expect(
      affected.compactMap { $0["id"] as? String } == [
        "catalog.merchandising_report", "catalog.product_performance", "catalog.recommendation_engine",
        "logistics.control_tower", "logistics.stockout_risk", "sales.basket_affinity", "sales.daily_sales_v2",
      ])
    #expect(affected.allSatisfy { $0["verdict"] as? String == "breaks" })
    // The same set as retiring it in BASE, since no reader was updated.
    let retire = try CLI.run([
      "impact", "sales.order_lines", "--change", "retire", "--mesh", dir + "/base", "--format", "json",
    ])
    let retired = (try CLI.json(retire.stdout)["affected"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(retired == affected.compactMap { $0["id"] as? String })
    // --fail-on any fails too; an ignore entry lets it through.
    try Data(
      "ignore:\n  - change: product-removed sales.order_lines\n    reason: migration\n    expires: 2030-01-01\n".utf8
    )
    .write(to: URL(fileURLWithPath: dir + "/head/lineage-ignore.yaml"))
    let ignored = try CLI.run(["diff", dir + "/base", dir + "/head", "--today", "2026-11-23"])
    #expect(ignored.status == 0, "\(ignored.stdout)")
  }

  /// jaffle_shop with model stg_customers taken out of `nodes`: `customers` and the two
  /// tests on it still depend on it in HEAD.
  @Test(.disabled(if: jaffleShop == nil, "no jaffle_shop manifest"))
  func removedDbtModelBreaksItsReaders() throws {
    let manifest = try #require(Self.jaffleShop)
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = try Data(contentsOf: URL(fileURLWithPath: manifest))
    var top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var nodes = try #require(top["nodes"] as? [String: Any])
    #expect(nodes.removeValue(forKey: "model.jaffle_shop.stg_customers") != nil)
    top["nodes"] = nodes
    try data.write(to: URL(fileURLWithPath: dir + "/base.json"))
    try JSONSerialization.data(withJSONObject: top).write(to: URL(fileURLWithPath: dir + "/head.json"))
    let r = try CLI.run(["diff", dir + "/base.json", dir + "/head.json", "--format", "json"])
    let json = try CLI.json(r.stdout)
    let changes = json["changes"] as? [[String: Any]] ?? []
    let removed = try #require(changes.first { $0["kind"] as? String == "product-removed" })
    #expect(removed["product"] as? String == "model.jaffle_shop.stg_customers" && removed["breaking"] as? Bool == true)
    // The importer keeps depends_on entries naming ids the manifest does not hold (it
    // drops only hooks and disabled nodes), so HEAD's readers still name the removed model.
    do {
      #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
      let affected = removed["affected"] as? [[String: Any]] ?? []
      #expect(
        affected.compactMap { $0["id"] as? String } == [
          "model.jaffle_shop.customers",
          "test.jaffle_shop.not_null_stg_customers_customer_id.e2cfb1f9aa",
          "test.jaffle_shop.unique_stg_customers_customer_id.c7614daada",
        ])
      #expect(affected.allSatisfy { $0["verdict"] as? String == "breaks" })
      let text = try CLI.run(["diff", dir + "/base.json", dir + "/head.json"])
      #expect(text.status == 1)
      #expect(
        text.stdout.contains("product-removed  model model.jaffle_shop.stg_customers removed  3 break, 0 may break"))
    }
  }
}
