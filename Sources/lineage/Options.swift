import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports

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

  /// Loads the model, or prints the error and exits with status 2.
  func load() throws -> LineageModel {
    do {
      return try ModelLoader.load(paths: mesh, options: .init(history: history == .latest ? .latest : .cumulative, jobsAsNodes: jobs))
    } catch {
      Output.error(error.description)
      throw Status.input
    }
  }
}

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

/// Prints loader errors to standard error for the query commands, which still answer
/// on the part of the mesh that loaded.
func reportLoadProblems(_ model: LineageModel) {
  let errors = model.findings.filter { $0.severity == .error }
  guard !errors.isEmpty else { return }
  let style = TextStyle(color: false)
  var text = ""
  for f in errors.prefix(5) { text += FindingsReport.line(f, style: style) }
  if errors.count > 5 { text += "... and \(errors.count - 5) more\n" }
  text += "lineage: warning: loading the \(model.source) found \(errors.count) error\(errors.count == 1 ? "" : "s"); results may be incomplete (run 'lineage validate' for every finding)\n"
  FileHandle.standardError.write(Data(text.utf8))
}
