import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports
import LineageSQL

struct MeshOption: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(
    "A mesh directory or its mesh.yaml, a dbt manifest.json, OpenLineage events (a file or a directory), an ODCS contract or ODPS product, or a graph JSON file; detected by content. Repeat to merge several (default: the nearest mesh.yaml upward).",
    valueName: "path"))
  var mesh: [String] = []

  @Option(help: ArgumentHelp("OpenLineage: 'latest' (a job's latest completed run replaces its earlier ones) or 'cumulative' (every completed run counts).", valueName: "mode"))
  var history: OpenLineageImporter.History = .latest

  @Flag(help: "OpenLineage: keep jobs as nodes between their inputs and outputs.")
  var jobs = false

  @Flag(help: "Answer from the part of the input that could be read when some of it could not (a syntax error, a wrong-shaped field); the output is marked partial. Without it, any load error stops the command with exit status 2.")
  var allowLoadErrors = false

  @Option(help: ArgumentHelp("The dialect of .sql inputs: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")) (a dbt manifest names its own).", valueName: "dialect"))
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
    guard model.isComplete else {
      guard allowLoadErrors else { throw CLIError.incomplete(model) }
      let errors = model.loadErrors
      Output.printFindings(errors, limit: 20)
      Output.warning("the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); answering from the part that was read, as --allow-load-errors asks: the output is marked partial")
      Output.loadProblems(model)
      return model
    }
    Output.loadProblems(model)
    return model
  }

  /// Loads the model for `validate`, which lists load errors with every other finding.
  func loadForFindings() throws(CLIError) -> LineageModel {
    do {
      return try ModelLoader.load(paths: mesh, options: loaderOptions)
    } catch {
      throw CLIError(error)
    }
  }
}

extension CLIError {
  /// A model that could not be read completely: its load errors, and how to go on.
  static func incomplete(_ model: LineageModel, allowHint: Bool = true) -> CLIError {
    let errors = model.loadErrors
    let hint = "  hint: fix the input ('lineage validate' lists every load error and finding)"
      + (allowHint ? ", or pass --allow-load-errors to answer from the part that was read" : "")
    return CLIError(findings: errors, limit: 20,
                    message: "the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); nothing was answered from it\n" + hint)
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, markdown, sarif, junit
}

enum ColorMode: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: text or json (validate, owners and diff also: markdown, sarif, junit).")
  var format: OutputFormat = .text

  @Option(help: "Colour: auto (only on a terminal, honouring NO_COLOR), always or never.")
  var color: ColorMode = .auto

  @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
    "Write to this file (atomically) instead of standard output; '-' is standard output.", valueName: "file"))
  var output: String?

  var style: TextStyle {
    switch color {
    case .always: return TextStyle(color: true)
    case .never: return TextStyle(color: false)
    case .auto:
      if let o = output, o != "-" { return TextStyle(color: false) }
      let env = ProcessInfo.processInfo.environment
      if let nc = env["NO_COLOR"], !nc.isEmpty { return TextStyle(color: false) }
      if env["TERM"] == "dumb" { return TextStyle(color: false) }
      return TextStyle(color: isatty(STDOUT_FILENO) != 0)
    }
  }

  /// Writes the report in the chosen format; a format the command has no writer for
  /// is a usage error.
  func emit(text: () -> String, json: () -> [UInt8], markdown: (() -> String)? = nil,
            sarif: (() -> [UInt8])? = nil, junit: (() -> [UInt8])? = nil) throws(CLIError) {
    let bytes: [UInt8]?
    switch format {
    case .text: bytes = Array(text().utf8)
    case .json: bytes = json()
    case .markdown: bytes = markdown.map { Array($0().utf8) }
    case .sarif: bytes = sarif?()
    case .junit: bytes = junit?()
    }
    guard let bytes else {
      throw CLIError("--format \(format.rawValue) is not available for this command; use text or json")
    }
    try Output.write(bytes, to: output)
  }
}
