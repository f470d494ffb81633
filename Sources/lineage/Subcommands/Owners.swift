import ArgumentParser
import LineageCore
import LineageReports

struct Owners: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "owners",
    abstract: "Audit ownership: overlapping claims on entities, ids, tables and schemas.",
    discussion: """
      Reports entities claimed by several domains (entity-overlap), ids declared twice \
      (duplicate-id), physical locations claimed twice (location-overlap), teams owning \
      products in several domains (team-spans-domains), products owned by a team other \
      than their domain's (owner-not-domain-team), nodes without an owner (require-owner), \
      and products in different domains whose column names overlap heavily \
      (schema-overlap, with the Jaccard similarity). Exit status 1 when a finding is at \
      or above --fail-on.

      Examples (from the repository's root):
        lineage owners --mesh samples/faulty
        lineage owners --similarity 0.6 --mesh samples/demo
      """)

  @Option(help: "The lowest schema similarity (0 to 1) reported as schema-overlap.") var similarity: Double = 0.8
  @Option(help: "Schemas with fewer columns are not compared.") var minColumns: Int = 4
  @Option(help: "The lowest severity that fails: error or warning.") var failOn: FailLevel = .error
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions
  @OptionGroup var comment: CommentOptions

  func validate() throws {
    guard (0.5...1).contains(similarity) else {
      throw ValidationError("--similarity must be between 0.5 and 1, such as 0.8")
    }
    guard minColumns >= 1 else { throw ValidationError("--min-columns must be 1 or more") }
  }

  func run() throws {
    let model = try mesh.load()
    let findings = Ownership.audit(model, options: .init(similarity: similarity, minColumns: minColumns))
    var report = FindingsReport(findings: findings, source: model.source, failOn: failOn.severity)
    report.partial = PartialNote(model)
    try emitFindings(
      report, title: "Lineage ownership audit", suite: "lineage owners", output: output, comment: comment,
      fallback: model.inputFiles.first)
  }
}
