import Foundation
import LineageCore
import LineageLoaders
import LineageReports

/// Every write of the command line: reports to standard output or a file, and every
/// message to standard error, made terminal-safe.
enum Output {
  /// The one write to standard error.
  private static func stderr(_ text: String) {
    // `write(_:)` traps when the write fails (a closed pipe, a file past its size
    // limit): a message that cannot be written is dropped instead.
    try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
  }

  /// Prints what a ``CLIError`` says: its findings (at most its limit), then
  /// `lineage: MESSAGE`.
  static func report(_ error: CLIError) {
    for w in error.warnings { warning(w) }
    if !error.findings.isEmpty { printFindings(error.findings, limit: error.findingsLimit) }
    if let message = error.message { self.error(message) }
  }

  /// Prints argument-parser's usage message as it is, ending in a newline.
  static func usage(_ message: String) {
    stderr(message.hasSuffix("\n") ? message : message + "\n")
  }

  /// Prints an error to standard error; every line is made terminal-safe.
  static func error(_ message: String) {
    stderr("lineage: " + safeLines(message) + "\n")
  }

  static func warning(_ message: String) {
    stderr("lineage: warning: " + safeLines(message) + "\n")
  }

  /// Prints a note (`lineage: note: ...`), such as what a diagram left out.
  static func note(_ message: String) {
    stderr("lineage: note: " + safeLines(message) + "\n")
  }

  /// Prints a summary line for the user on standard error (terminal-safe).
  static func summary(_ message: String) {
    stderr(safeLines(message) + "\n")
  }

  /// Prints findings to standard error as `validate` prints them, at most `limit`.
  static func printFindings(_ findings: [Finding], limit: Int) {
    let style = TextStyle(color: false)
    var text = ""
    for f in findings.prefix(limit) { text += FindingsReport.line(f, style: style) }
    if findings.count > limit { text += "... and \(findings.count - limit) more ('lineage validate' lists them all)\n" }
    stderr(text)
  }

  /// Notes on standard error that the input has error findings (unresolved references,
  /// say): answers, not load errors, so the command still answers; `validate` lists them.
  static func loadProblems(_ model: LineageModel) {
    let errors = model.findings.filter { $0.severity == .error && !$0.isLoadError }
    guard !errors.isEmpty else { return }
    var text = ""
    let style = TextStyle(color: false)
    for f in errors.prefix(5) { text += FindingsReport.line(f, style: style) }
    if errors.count > 5 { text += "... and \(errors.count - 5) more\n" }
    text +=
      "lineage: warning: the \(model.source) has \(plural(errors.count, "error finding")) (edges they would declare are missing from the answer; 'lineage validate' lists every finding)\n"
    stderr(text)
  }

  /// Each line made safe for a terminal, and cut at 1,000 characters: a message never
  /// repeats a hostile input at length.
  static func safeLines(_ s: String) -> String {
    s.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let safe = terminalSafe(String(line))
      return safe.count <= 1000 ? safe : "\(safe.prefix(1000))… (\(safe.count - 1000) more characters)"
    }.joined(separator: "\n").trimmingCharacters(in: .newlines)
  }

  /// Writes a report's output: to standard output as it is laid out (stopping at a
  /// closed pipe), to a file as ``write(_:to:)`` writes one (it appears whole or not at
  /// all).
  static func write(_ report: ReportBytes, to path: String?) throws(CLIError) {
    guard let path, path != "-" else {
      // A failure here is stdout closed (a pipe to head): nothing more to do.
      _ = write(report, toDescriptor: STDOUT_FILENO)
      return
    }
    try write(to: path) { fd in write(report, toDescriptor: fd) }
  }

  /// Writes a report's output to `fd` as it is laid out, a long answer into a file
  /// with its blocks reserved ahead (``FileIO/reserve(_:bytes:)``); the first write's
  /// error number, 0 when all went out.
  static func write(_ report: ReportBytes, toDescriptor fd: Int32) -> Int32 {
    let reservation = FileIO.reserve(fd, bytes: report.estimatedCount)
    defer { reservation?.release() }
    var failure: Int32 = 0
    _ = report.write { bytes in
      failure = FileIO.writeFully(fd, bytes)
      return failure == 0
    }
    return failure
  }

  /// Writes bytes to standard output, or atomically to a file (``SafeWrite``): the
  /// file appears complete or not at all, even when the process is interrupted.
  static func write(_ bytes: [UInt8], to path: String?) throws(CLIError) {
    guard let path, path != "-" else {
      // A failure here is stdout closed (a pipe to head): nothing more to do.
      _ = FileIO.writeFully(STDOUT_FILENO, bytes)
      return
    }
    try write(to: path) { FileIO.writeFully($0, bytes) }
  }

  /// Writes what `body` writes to a file descriptor atomically to `path`
  /// (``SafeWrite``): the file appears complete or not at all, even when the process is
  /// interrupted.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - body: Writes the content; returns 0, or the `errno` of the write that failed.
  /// - Throws: ``CLIError`` naming the file and the system's reason.
  static func write(to path: String, writing body: (Int32) -> Int32) throws(CLIError) {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
      throw CLIError("cannot write \(path): directory \(dir) does not exist")
    }
    do {
      try SafeWrite.file(to: path, writing: body)
    } catch let failure {
      throw CLIError("cannot write \(path): \(failure.reason)")
    }
  }
}

/// "1 error", "2 errors".
