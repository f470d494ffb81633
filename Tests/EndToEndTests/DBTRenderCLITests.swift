import Foundation
import Testing

/// `lineage render` of a dbt project through the command line: tests left out unless
/// `--tests`, dbt's names as labels, and clusters by package and folder.
@Suite struct DBTRenderCLITests {
  static let jaffle = "samples/jaffle_shop/target/manifest.json"

  @Test func testsAreLeftOutUnlessAskedFor() throws {
    let r = try CLI.run(["render", "--mesh", Self.jaffle, "--format", "dot"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stderr == "lineage: note: 20 tests left out (show them with --tests)\n")
    #expect(r.stdout.hasPrefix("// jaffle_shop: product level, 8 nodes\n"))
    #expect(!r.stdout.contains("kind-test"))
    #expect(r.stdout.contains(#"label="stg_orders", tooltip="model model.jaffle_shop.stg_orders"#))
    #expect(r.stdout.contains(#"label="jaffle_shop · models/staging""#))
    let all = try CLI.run(["render", "--mesh", Self.jaffle, "--format", "dot", "--tests"])
    #expect(all.status == 0)
    #expect(all.stderr.isEmpty)
    #expect(all.stdout.hasPrefix("// jaffle_shop: product level, 28 nodes\n"))
    #expect(all.stdout.components(separatedBy: "kind-test").count - 1 == 20)
  }

  @Test func theDomainLevelOfAProjectWithoutDomainsIsItsFolders() throws {
    let r = try CLI.run(["render", "--mesh", Self.jaffle, "--level", "domain", "--format", "mermaid"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.hasPrefix("%% jaffle_shop: domain level, 3 groups, 8 nodes\n"))
    #expect(r.stdout.contains(#"n1("jaffle_shop #183; models/staging<br/>3 models")"#))
  }
}
