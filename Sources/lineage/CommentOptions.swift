import ArgumentParser
import LineageReports

/// Where the whole report goes when a Markdown comment is shortened to fit GitHub's
/// comment limit (validate, owners, diff).
struct CommentOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "With --format markdown: also write the whole report, never shortened, to this file (keep it as a build artifact); a comment shortened to fit GitHub's 65,536-character limit names it.",
      valueName: "file"))
  var fullReport: String?

  /// The sentence a shortened comment ends with: where the whole report is.
  var elsewhere: String {
    if let fullReport { return "The whole report is in \(fullReport)." }
    return
      "Write it whole with --full-report FILE and keep that file as a build artifact, or read the text or JSON output."
  }

  /// Writes `whole`, the report never shortened, to the full-report file when one is named.
  func write(_ whole: () -> String) throws(CLIError) {
    guard let fullReport else { return }
    try Output.write(Array(whole().utf8), to: fullReport)
  }
}
