import Foundation
import Testing

/// The column lineage the dbt importer reads from jaffle_shop's compiled SQL, as
/// `lineage import dbt` writes it: every model column's sources with their transforms
/// (identity, transformation, aggregation; join, filter, group_by, ...) and every
/// input's columns read. A change in the SQL front end or the importer that changes an
/// answer shows here as a diff of one YAML file.
@Suite struct SQLGoldenTests {
  static let manifest = "Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json"

  @Test func jaffleShopColumnLineage() throws {
    let dir = NSTemporaryDirectory() + "lineage-jaffle-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["import", "dbt", Self.manifest, "-o", dir])
    #expect(r.status == 0, "\(r.stderr)")
    let got = try String(contentsOfFile: dir + "/domains/jaffle_shop.yaml", encoding: .utf8)
    let golden = CLI.golden + "/import-jaffle-shop-sql.yaml"
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
      try got.write(toFile: golden, atomically: true, encoding: .utf8)
    }
    let want = try String(contentsOfFile: golden, encoding: .utf8)
    #expect(got == want, "import of \(Self.manifest) differs from \(golden); UPDATE_GOLDEN=1 rewrites it")
    // Spot checks that say what the golden means.
    #expect(got.contains(#"- { product: "model.jaffle_shop.stg_payments", column: "amount", transform: aggregation }"#))
    #expect(got.contains(#"- { product: "model.jaffle_shop.stg_customers", column: "customer_id", transform: join }"#))
  }
}
