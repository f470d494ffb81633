import ArgumentParser
import Foundation
import LineageCore
import LineageReports

/// The lowest severity that fails a findings command.
enum FailLevel: String, ExpressibleByArgument, CaseIterable {
  case error, warning

  var severity: Severity { self == .error ? .error : .warning }
}

/// Prints a findings report in the chosen format and exits 1 when it fails.
/// Exit status 2 when the input was not read completely (load errors among the
/// findings, or a partial answer), else 1 when a finding is at or above `failOn`.
func emitFindings(
  _ report: FindingsReport, title: String, suite: String, output: OutputOptions,
  comment: CommentOptions, fallback: String?
) throws(CLIError) {
  let incomplete = report.partial != nil || report.findings.contains(where: \.isLoadError)
  if output.format == .markdown { try comment.write { report.markdown(title: title, limit: .max) } }
  try output.emit(
    text: { report.text(style: output.style) }, textBytes: { report.textBytes(style: output.style) },
    json: { report.json() },
    markdown: { report.markdown(title: title, fullReport: comment.elsewhere) },
    sarif: {
      SARIFWriter.write(
        report.findings, fallbackFile: fallback,
        executionSuccessful: !incomplete, notifications: report.partial?.loadErrors ?? [])
    },
    junit: {
      JUnitWriter.write(report.findings + (report.partial?.loadErrors ?? []), suite: suite, failOn: report.failOn)
    })
  switch report.outcome {
  case .incomplete: throw CLIError(status: .input)
  case .failed: throw CLIError.findings
  case .passed: break
  }
}
