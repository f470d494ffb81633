import Foundation
import Testing

/// Every command's `--help` ends with examples; each one is run from a scratch
/// directory that sees the repository's `samples/`, and must be accepted (exit 0 or 1,
/// never a usage or input error), so the help cannot show a command that fails.
@Suite struct HelpExamplesTests {
  static let commands = [
    "validate", "upstream", "downstream", "select", "cycles", "stats", "impact", "diff", "owners", "render", "import",
    "sql", "drift",
  ]

  /// The example command lines of a help text: the lines under "Examples", joined
  /// where one ends in a backslash.
  static func examples(in help: String) -> [String] {
    var out: [String] = []
    var inExamples = false
    var pending = ""
    for raw in help.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("Examples") {
        inExamples = true
        continue
      }
      guard inExamples else { continue }
      if !pending.isEmpty {
        pending += " " + line
      } else if line.hasPrefix("lineage ") {
        pending = line
      } else {
        if line.isEmpty && !out.isEmpty { inExamples = false }
        continue
      }
      if pending.hasSuffix("\\") {
        pending = String(pending.dropLast()).trimmingCharacters(in: .whitespaces)
      } else {
        out.append(pending)
        pending = ""
      }
    }
    return out
  }

  @Test(arguments: commands) func everyHelpExampleRuns(_ command: String) throws {
    let help = try CLI.run([command, "--help"])
    #expect(help.status == 0)
    let examples = Self.examples(in: help.stdout)
    #expect(examples.count >= 2, "lineage \(command) --help shows no examples:\n\(help.stdout)")
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("lineage-help-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    try FileManager.default.createSymbolicLink(atPath: scratch + "/samples", withDestinationPath: CLI.root + "/samples")
    for example in examples {
      var words = try ReadmeTourTests.shellWords(example)
      #expect(words.first == "lineage" && words.dropFirst().first == command, "\(example)")
      words.removeFirst()
      let r = try CLI.run(words, cwd: scratch)
      #expect(r.status == 0 || r.status == 1, "\(example) exited \(r.status): \(r.stderr)")
      #expect(!r.stdout.isEmpty || words.contains("-o"), "\(example) printed nothing")
    }
  }
}
