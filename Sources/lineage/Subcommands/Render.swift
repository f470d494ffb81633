import ArgumentParser
import Foundation
import LineageCore
import LineageExplorer
import LineageLoaders
import LineageRender
import LineageReports

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract:
      "Draw lineage diagrams through the Graphviz library: svg, png, pdf, dot or mermaid; or the explorer page (html).",
    discussion: """
      Views: the product level clustered by domain (default), --level domain (one node per \
      domain, edges counting product edges), --level column (tables with one row per column, \
      edges from column to column), and a focus (--focus SELECTOR --upstream N --downstream N) \
      with "+N more" stubs where the view was cut. Cycles are drawn in red in every view.

      Large views degrade on their own: dot up to 1,000 nodes (fast settings above 300), \
      sfdp up to 4,000, and beyond that the domain level; the diagram says what was done. \
      --engine picks the layout engine yourself.

      --format html writes the web explorer as one self-contained page (works from \
      file://, no network): search, panels, expand, the column level, impact mode. With \
      --focus, the page opens on it (and draws it even when the mesh is too large to draw whole).

      Examples (from the repository's root):
        lineage render --mesh samples/faulty -o faulty.svg
        lineage render --level domain --mesh samples/demo -o domains.png
        lineage render --format html --mesh samples/demo -o lineage.html
        lineage render --level column --focus crm.customers --upstream 1 \\
            --downstream 1 --mesh samples/demo -o columns.svg
      """)

  @Option(help: "product, domain or column.") var level: ViewLevel = .product
  @Option(help: "Draw only what is around these nodes (a selector).") var focus: String?
  @Option(help: "Hops upstream of the focus.") var upstream: Int = 2
  @Option(help: "Hops downstream of the focus.") var downstream: Int = 2
  @Option(help: "Highlight the blast radius of a change to PRODUCT[.COLUMN] (with --change).") var impact: String?
  @Option(help: "The change for --impact: drop, rename[:NEW], retype:TYPE, nullable or retire.") var change: String?
  @Option(help: "Graphviz layout engine (dot, sfdp, neato, fdp, ...); default: by size.") var engine: String?
  @Flag(help: "Draw dbt data tests and unit tests too (left out by default).") var tests = false
  @Option(help: "svg, png, pdf, dot, mermaid or html; default: from the -o file's extension, else svg.")
  var format: DiagramFormat?
  @Option(
    name: [.customShort("o"), .long],
    help: ArgumentHelp(
      "Write to this file (atomically); '-' or nothing is standard output.", valueName: "file"))
  var output: String?
  @OptionGroup var mesh: MeshOption

  func run() throws {
    if upstream < 0 || downstream < 0 {
      throw CLIError("--upstream and --downstream must be 0 or more")
    }
    let chosen: DiagramFormat
    if let format {
      chosen = format
    } else if let output, output != "-" {
      guard let inferred = DiagramFormat(fileName: output) else {
        throw CLIError("cannot tell the format from '\(output)'; give --format svg|png|pdf|dot|mermaid|html")
      }
      chosen = inferred
    } else {
      chosen = .svg
    }
    if !chosen.isText, output == nil || output == "-", isatty(STDOUT_FILENO) != 0 {
      throw CLIError("\(chosen.rawValue) is binary; write it to a file with -o FILE")
    }
    if let engine {
      let layouts = (try? Graphviz.plugins().layouts) ?? []
      if !layouts.contains(engine) {
        throw CLIError("unknown layout engine '\(engine)' (available: \(layouts.joined(separator: ", ")))")
      }
    }
    if chosen == .html, impact != nil || change != nil || engine != nil || level != .product {
      throw CLIError(
        "--format html draws every level and blast radius in the page; leave out --level, --impact, --change and --engine"
      )
    }
    let model = try mesh.load()
    var roots: [Int32]?
    if let focus {
      let sel = try parseSelector([focus], in: model.graph)
      let picked = model.graph.select(sel)
      warnUnmatched(picked)
      if picked.nodes.isEmpty {
        throw CLIError("--focus '\(focus)' matched no node")
      }
      roots = picked.nodes
    }
    var blast: ImpactResult?
    if impact != nil || change != nil {
      guard let impact, let change else {
        throw CLIError("--impact and --change go together")
      }
      blast = try analyzeImpact(model, target: impact, change: parseChange(change))
    }
    // --allow-load-errors: the diagram itself says it shows part of the input.
    let partial =
      model.isComplete
      ? []
      : [
        "partial: drawn from the part of the input that could be read (\(plural(model.loadErrors.count, "load error")))"
      ]
    if chosen == .html {
      var options = ExplorerOptions(
        focus: roots, upstream: upstream, downstream: downstream, today: .today(), wording: .commandLine)
      options.notes = partial
      let page: (bytes: [UInt8], notes: [String])
      do {
        page = try ExplorerPage.document(model, options)
      } catch {
        throw CLIError(error)
      }
      for note in page.notes { Output.note(note) }
      try Output.write(page.bytes, to: output)
      return
    }
    let request = ViewRequest(
      level: level, focus: roots, upstream: upstream, downstream: downstream,
      engine: engine, impact: blast, showChecks: tests, wording: .commandLine)
    let drawn: (bytes: [UInt8], notes: [String])
    do {
      drawn = try Views.draw(model, request, format: chosen.rawValue, notes: partial)
    } catch {
      throw CLIError(error)
    }
    for note in drawn.notes { Output.note(note) }
    let bytes = drawn.bytes
    try Output.write(bytes, to: output)
  }
}
