import ArgumentParser

struct Downstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List everything that reads the selected nodes, each once with its shortest depth.",
    discussion: "Give PRODUCT.COLUMN to follow column-level lineage instead.")

  @OptionGroup var arguments: TraverseArguments

  func run() throws { try arguments.run(.downstream) }
}
