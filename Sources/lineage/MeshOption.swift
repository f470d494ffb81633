import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports
import LineageSQL

struct MeshOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A mesh directory or its mesh.yaml, a dbt manifest.json, OpenLineage events (a file or a directory), an ODCS contract or ODPS product, or a graph JSON file; detected by content. Repeat to merge several (default: the nearest mesh.yaml upward).",
      valueName: "path"))
  var mesh: [String] = []

  @Option(
    help: ArgumentHelp(
      "OpenLineage: 'latest' (a job's latest completed run replaces its earlier ones) or 'cumulative' (every completed run counts).",
      valueName: "mode"))
  var history: OpenLineageImporter.History = .latest

  @Flag(help: "OpenLineage: keep jobs as nodes between their inputs and outputs.")
  var jobs = false

  @Flag(
    help:
      "Answer from the part of the input that could be read when some of it could not (a syntax error, a wrong-shaped field); the output is marked partial. Without it, any load error stops the command with exit status 2."
  )
  var allowLoadErrors = false

  @Option(
    help: ArgumentHelp(
      "The dialect of .sql inputs: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")) (a dbt manifest names its own).",
      valueName: "dialect"))
  var dialect: SQLDialect = .generic

  var loaderOptions: ModelLoader.Options {
    .init(history: history, jobsAsNodes: jobs, dialect: dialect)
  }

  /// Loads the model. A load error (input that could not be read completely) stops
  /// the command with exit status 2 unless `--allow-load-errors` is given; then the
  /// load errors are printed as warnings and the model is returned, to be answered
  /// from as a partial input. Error findings that are not load errors are noted on
  /// standard error (``Output/loadProblems(_:)``).
  func load() throws(CLIError) -> LineageModel {
    let model = try loadForFindings()
    if !model.isComplete {
      guard allowLoadErrors else { throw CLIError.incomplete(model) }
      let errors = model.loadErrors
      Output.printFindings(errors, limit: 20)
      Output.warning(
        "the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); answering from the part that was read, as --allow-load-errors asks: the output is marked partial"
      )
    }
    Output.loadProblems(model)
    return model
  }

  /// Loads the model for `validate`, which lists load errors with every other finding.
  func loadForFindings() throws(CLIError) -> LineageModel {
    do {
      return CommandLineWording.reword(try ModelLoader.load(paths: mesh, options: loaderOptions))
    } catch {
      throw CLIError(error)
    }
  }
}
