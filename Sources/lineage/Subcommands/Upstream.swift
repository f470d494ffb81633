import ArgumentParser

struct Upstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "upstream",
    abstract: "List everything the selected nodes read from, each once with its shortest depth.",
    discussion: """
      Give PRODUCT.COLUMN to follow column-level lineage instead.

      Examples (from the repository's root):
        lineage upstream finance.revenue --mesh samples/demo
        lineage upstream marketing.email_audiences.email_hash --mesh samples/demo
        lineage upstream model.jaffle_shop.customers.customer_id --mesh \\
            samples/jaffle_shop/target/manifest.json
      """)

  @OptionGroup var arguments: TraverseArguments

  func run() throws { try arguments.run(.upstream) }
}
