import ArgumentParser
import Foundation
import LineageReports

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

  @Option(
    name: [.customShort("o"), .long],
    help: ArgumentHelp(
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
  func emit(
    text: () -> String, textBytes: (() -> [UInt8])? = nil, json: () -> [UInt8], markdown: (() -> String)? = nil,
    sarif: (() -> [UInt8])? = nil, junit: (() -> [UInt8])? = nil
  ) throws(CLIError) {
    let bytes: [UInt8]?
    switch format {
    case .text: bytes = textBytes?() ?? Array(text().utf8)
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

  /// Writes a report whose text and JSON are outputs laid out as they are written (a
  /// node list or a blast radius, written straight from the graph, long ones on every
  /// core); text or json only.
  func emit(text: () -> ReportBytes, json: () -> ReportBytes) throws(CLIError) {
    guard format == .text || format == .json else {
      throw CLIError("--format \(format.rawValue) is not available for this command; use text or json")
    }
    try Output.write(format == .text ? text() : json(), to: output)
  }
}
