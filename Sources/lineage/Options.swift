import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports
import LineageSQL

/// Exit statuses of the documented contract.
enum Status {
  static let findings = ExitCode(1)
  static let input = ExitCode(2)
}

struct MeshOption: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp(
    "A mesh directory or its mesh.yaml, a dbt manifest.json, OpenLineage events (a file or a directory), an ODCS contract or ODPS product, or a graph JSON file; detected by content. Repeat to merge several (default: the nearest mesh.yaml upward).",
    valueName: "path"))
  var mesh: [String] = []

  @Option(help: ArgumentHelp("OpenLineage: 'latest' (a job's latest completed run replaces its earlier ones) or 'cumulative' (every completed run counts).", valueName: "mode"))
  var history: HistoryMode = .latest

  @Flag(help: "OpenLineage: keep jobs as nodes between their inputs and outputs.")
  var jobs = false

  @Flag(help: "Answer from the part of the input that could be read when some of it could not (a syntax error, a wrong-shaped field); the output is marked partial. Without it, any load error stops the command with exit status 2.")
  var allowLoadErrors = false

  @Option(help: ArgumentHelp("The dialect of .sql inputs: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")) (a dbt manifest names its own).", valueName: "dialect"))
  var dialect: SQLDialect = .generic

  var loaderOptions: ModelLoader.Options {
    .init(history: history == .latest ? .latest : .cumulative, jobsAsNodes: jobs, dialect: dialect)
  }

  /// Loads the model. A load error (input that could not be read completely) stops
  /// the command with exit status 2 unless `--allow-load-errors` is given; then the
  /// load errors are printed as warnings and the model is returned, to be answered
  /// from as a partial input.
  func load() throws -> LineageModel {
    let model: LineageModel
    do {
      model = try ModelLoader.load(paths: mesh, options: loaderOptions)
    } catch {
      Output.error(error.description)
      throw Status.input
    }
    if model.isComplete { return model }
    guard allowLoadErrors else {
      reportIncomplete(model)
      throw Status.input
    }
    let errors = model.loadErrors
    Output.printFindings(errors, limit: 20)
    Output.warning("the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); answering from the part that was read, as --allow-load-errors asks: the output is marked partial")
    return model
  }

  /// Loads the model for `validate`, which lists load errors with every other finding.
  func loadForFindings() throws -> LineageModel {
    do {
      return try ModelLoader.load(paths: mesh, options: loaderOptions)
    } catch {
      Output.error(error.description)
      throw Status.input
    }
  }
}

/// Prints the load errors of a model that could not be read completely, and how to go on.
func reportIncomplete(_ model: LineageModel, allowHint: Bool = true) {
  let errors = model.loadErrors
  Output.printFindings(errors, limit: 20)
  Output.error("the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); nothing was answered from it")
  let hint = "  hint: fix the input ('lineage validate' lists every load error and finding)"
    + (allowHint ? ", or pass --allow-load-errors to answer from the part that was read" : "") + "\n"
  FileHandle.standardError.write(Data(hint.utf8))
}

/// "1 error", "2 errors".
func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

enum HistoryMode: String, ExpressibleByArgument, CaseIterable {
  case latest, cumulative
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
            sarif: (() -> [UInt8])? = nil, junit: (() -> [UInt8])? = nil) throws {
    let bytes: [UInt8]?
    switch format {
    case .text: bytes = Array(text().utf8)
    case .json: bytes = json()
    case .markdown: bytes = markdown.map { Array($0().utf8) }
    case .sarif: bytes = sarif?()
    case .junit: bytes = junit?()
    }
    guard let bytes else {
      Output.error("--format \(format.rawValue) is not available for this command; use text or json")
      throw Status.input
    }
    try Output.write(bytes, to: output)
  }
}

enum Output {
  /// Prints an error to standard error; every line is made terminal-safe.
  static func error(_ message: String) {
    FileHandle.standardError.write(Data(("lineage: " + safeLines(message) + "\n").utf8))
  }

  static func warning(_ message: String) {
    FileHandle.standardError.write(Data(("lineage: warning: " + safeLines(message) + "\n").utf8))
  }

  /// Prints findings to standard error as `validate` prints them, at most `limit`.
  static func printFindings(_ findings: [Finding], limit: Int) {
    let style = TextStyle(color: false)
    var text = ""
    for f in findings.prefix(limit) { text += FindingsReport.line(f, style: style) }
    if findings.count > limit { text += "... and \(findings.count - limit) more ('lineage validate' lists them all)\n" }
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// Each line made safe for a terminal, and cut at 1,000 characters: a message never
  /// repeats a hostile input at length.
  static func safeLines(_ s: String) -> String {
    s.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let safe = terminalSafe(String(line))
      return safe.count <= 1000 ? safe : "\(safe.prefix(1000))… (\(safe.count - 1000) more characters)"
    }.joined(separator: "\n").trimmingCharacters(in: .newlines)
  }

  /// Writes bytes to standard output, or atomically to a file (``SafeWrite``): the
  /// file appears complete or not at all, even when the process is interrupted.
  static func write(_ bytes: [UInt8], to path: String?) throws {
    guard let path, path != "-" else {
      // A failure here is stdout closed (a pipe to head): nothing more to do.
      _ = SafeWrite.writeFully(STDOUT_FILENO, bytes)
      return
    }
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
      error("cannot write \(path): directory \(dir) does not exist")
      throw Status.input
    }
    do {
      try SafeWrite.file(bytes, to: path)
    } catch let failure {
      error("cannot write \(path): \(failure.reason)")
      throw Status.input
    }
  }
}

/// Notes on standard error that the input has error findings (unresolved references,
/// say): answers, not load errors, so the command still answers; `validate` lists them.
func reportLoadProblems(_ model: LineageModel) {
  let errors = model.findings.filter { $0.severity == .error && !$0.isLoadError }
  guard !errors.isEmpty else { return }
  var text = ""
  let style = TextStyle(color: false)
  for f in errors.prefix(5) { text += FindingsReport.line(f, style: style) }
  if errors.count > 5 { text += "... and \(errors.count - 5) more\n" }
  text += "lineage: warning: the \(model.source) has \(plural(errors.count, "error finding")) (edges they would declare are missing from the answer; 'lineage validate' lists every finding)\n"
  FileHandle.standardError.write(Data(text.utf8))
}
