import ArgumentParser

struct Upstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List everything the selected nodes read from, each once with its shortest depth.",
    discussion: "Give PRODUCT.COLUMN to follow column-level lineage instead.")

  @OptionGroup var arguments: TraverseArguments

  func run() throws { try arguments.run(.upstream) }
}
