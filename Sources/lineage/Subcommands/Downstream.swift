import ArgumentParser

struct Downstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "downstream",
    abstract: "List everything that reads the selected nodes, each once with its shortest depth.",
    discussion: """
      Give PRODUCT.COLUMN to follow column-level lineage instead.

      Examples (from the repository's root):
        lineage downstream sales.orders --depth 1 --mesh samples/demo
        lineage downstream crm.customers.email --mesh samples/demo
        lineage downstream 'domain:crm' --exclude 'kind:consumer' --mesh \\
            samples/demo
      """)

  @OptionGroup var arguments: TraverseArguments

  func run() throws { try arguments.run(.downstream) }
}
