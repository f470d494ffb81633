import ArgumentParser

struct Upstream: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List everything the selected nodes read from, each once with its shortest depth.",
    discussion: "Give PRODUCT.COLUMN to follow column-level lineage instead.")

  @Argument(help: "A node id or a selector; several are a union.") var selector: [String]
  @Option(help: "Follow at most this many hops.") var depth: Int?
  @Option(help: "Leave out the nodes this selector picks.") var exclude: String?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  func run() throws {
    try traverse(.upstream, selector: selector, depth: depth, exclude: exclude, mesh: mesh, output: output)
  }
}
