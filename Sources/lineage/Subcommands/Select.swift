import ArgumentParser
import LineageCore
import LineageReports

struct Select: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "select",
    abstract: "Select nodes with dbt-style selectors.",
    discussion: """
      Examples: 'sales.orders+' (it and downstream), '+crm.customers' (upstream), \
      '1+finance.revenue+2', '@crm.customers', 'domain:sales,kind:consumer' (intersection), \
      'tag:pii status:deprecated' (union), 'sales.*'. Over a dbt manifest, selection is \
      dbt's: bare names are fully qualified names ('orders', 'staging'), paths \
      ('models/staging'), and the methods source:, exposure:, metric:, semantic_model:, \
      saved_query:, fqn:, path:, package: and resource_type: work; the result lists what \
      'dbt ls --indirect-selection empty' lists.

      Examples (from the repository's root):
        lineage select 'domain:finance,kind:consumer' --mesh samples/demo
        lineage select '+customers' --mesh \\
            samples/jaffle_shop/target/manifest.json
      """)

  @Argument(help: "Selectors; several are a union.") var selector: [String]
  @Option(help: "Leave out the nodes this selector picks.") var exclude: String?
  @Option(
    help:
      "Over a dbt manifest: 'empty' (the default) lists what the selector reaches; 'eager' also adds the tests of every selected node, as dbt's default does."
  )
  var indirectSelection: IndirectSelection = .empty

  enum IndirectSelection: String, ExpressibleByArgument, CaseIterable { case empty, eager }
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    let model = try mesh.load()
    let answer: MeshQuery.Answer
    do {
      answer = try MeshQuery.select(
        model, selector: selector, exclude: exclude, eagerTests: indirectSelection == .eager)
    } catch {
      throw CLIError(query: error, selector: selector)
    }
    warnUnmatched(answer.unmatched)
    try output.emit(
      text: { answer.report.textOutput(style: output.style, moreEdges: CommandLineWording.moreEdges) },
      json: { answer.report.jsonOutput() })
  }
}
