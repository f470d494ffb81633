import Foundation
import Testing

/// The README's quick tour, run: every `$ lineage ...` command of its ```console
/// blocks is run from a scratch directory that sees the repository's `samples/`, and
/// its output must match the lines the README shows (stdout, alone or with stderr
/// before or after it). A line that
/// is exactly `...` stands for any number of lines (the README abbreviates there);
/// trailing spaces are ignored. So the README cannot drift from what the tool prints.
@Suite struct ReadmeTourTests {
  /// One command of a console block and the lines shown after it.
  struct Step: CustomStringConvertible {
    var line: Int
    var arguments: [String]
    var expected: [String]
    var description: String { "README.md:\(line): lineage \(arguments.joined(separator: " "))" }
  }

  /// The steps of every ```console block of `markdown`, in order.
  static func steps(of markdown: String) throws -> [Step] {
    var steps: [Step] = []
    var inConsole = false
    var pending: (line: Int, command: String)?
    var current: Step?
    for (i, raw) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw)
      if line.hasPrefix("```") {
        if inConsole, let step = current { steps.append(step) }
        current = nil
        inConsole = !inConsole && line == "```console"
        continue
      }
      guard inConsole else { continue }
      if var p = pending {  // a command continued with a trailing backslash
        p.command += " " + line.trimmingCharacters(in: .whitespaces)
        pending = p
      } else if line.hasPrefix("$ ") {
        if let step = current { steps.append(step) }
        current = nil
        pending = (i + 1, String(line.dropFirst(2)))
      } else {
        current?.expected.append(line)
        continue
      }
      guard let p = pending else { continue }
      if p.command.hasSuffix("\\") {
        pending = (p.line, String(p.command.dropLast()).trimmingCharacters(in: .whitespaces))
        continue
      }
      pending = nil
      var words = try shellWords(p.command)
      guard words.first == "lineage" else {
        throw TourError(message: "README.md:\(p.line): a console command that is not `lineage`: \(p.command)")
      }
      words.removeFirst()
      current = Step(line: p.line, arguments: words, expected: [])
    }
    return steps
  }

  struct TourError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// Splits a command line as a POSIX shell would for the forms the README uses:
  /// single and double quotes, backslash escapes, and a `#` comment at a word's start.
  static func shellWords(_ command: String) throws -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for c in command {
      if escaped {
        word.append(c)
        escaped = false
        continue
      }
      if let q = quote {
        if c == q {
          quote = nil
        } else if c == "\\" && q == "\"" {
          escaped = true
        } else {
          word.append(c)
        }
        continue
      }
      switch c {
      case "'", "\"":
        quote = c
        inWord = true
      case "\\":
        escaped = true
        inWord = true
      case " ", "\t":
        if inWord { words.append(word) }
        word = ""
        inWord = false
      case "#" where !inWord:
        return words
      default:
        word.append(c)
        inWord = true
      }
    }
    guard quote == nil else { throw TourError(message: "unterminated quote in: \(command)") }
    if inWord { words.append(word) }
    return words
  }

  /// Whether `actual` matches `expected`, where an expected line `...` matches any run
  /// of lines (none included). Trailing spaces are ignored on both sides.
  static func matches(_ expected: [String], _ actual: [String]) -> Bool {
    let e = expected.map(trimmedRight), a = actual.map(trimmedRight)
    // reach[j]: the first i expected lines can match the first j actual lines.
    var reach = [Bool](repeating: false, count: a.count + 1)
    reach[0] = true
    for line in e {
      var next = [Bool](repeating: false, count: a.count + 1)
      if line == "..." {
        var any = false
        for j in 0...a.count {
          any = any || reach[j]
          next[j] = any
        }
      } else {
        for j in 0..<a.count where reach[j] && a[j] == line { next[j + 1] = true }
      }
      reach = next
    }
    return reach[a.count]
  }

  static func trimmedRight(_ s: String) -> String {
    var s = Substring(s)
    while s.last == " " || s.last == "\t" { s = s.dropLast() }
    return String(s)
  }

  @Test func theWildcardAndTheSplitterDoWhatTheTourNeeds() throws {
    #expect(Self.matches(["a", "...", "d"], ["a", "b", "c", "d"]))
    #expect(Self.matches(["a", "...", "d"], ["a", "d"]))
    #expect(!Self.matches(["a", "...", "d"], ["a", "b", "c"]))
    #expect(!Self.matches(["a", "b"], ["a", "b", "c"]))
    #expect(Self.matches(["x  ", "..."], ["x", "y"]))
    #expect(
      try Self.shellWords("lineage select 'domain:finance,kind:consumer' --mesh x  # note")
        == ["lineage", "select", "domain:finance,kind:consumer", "--mesh", "x"])
    #expect(try Self.shellWords(#"lineage sql "a b" c\ d"#) == ["lineage", "sql", "a b", "c d"])
    let steps = try Self.steps(
      of: """
        ```console
        $ lineage stats \\
            --mesh m
        one
        ...
        $ lineage cycles --mesh m
        ```
        ```sh
        $ lineage not-run
        ```
        """)
    #expect(steps.map(\.arguments) == [["stats", "--mesh", "m"], ["cycles", "--mesh", "m"]])
    #expect(steps.first?.expected == ["one", "..."])
  }

  @Test func everyCommandOfTheQuickTourPrintsWhatTheReadmeShows() throws {
    let readme = try String(contentsOfFile: CLI.root + "/README.md", encoding: .utf8)
    let steps = try Self.steps(of: readme)
    #expect(steps.count >= 15, "the README's console blocks were not found")
    // A scratch directory that sees samples/ as the README does, so that commands writing
    // files (-o) leave the repository alone.
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("lineage-readme-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    try FileManager.default.createSymbolicLink(atPath: scratch + "/samples", withDestinationPath: CLI.root + "/samples")
    for step in steps {
      let result = try CLI.run(step.arguments, cwd: scratch)
      #expect(result.status != 2, "\(step) exited 2: \(result.stderr)")
      // The README shows what a reader sees: the output, with or without the
      // diagnostics on stderr (load findings, notes) before or after it.
      let candidates = [result.stdout, result.stdout + result.stderr, result.stderr + result.stdout].map { text in
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
      }
      let lines = candidates[1]
      #expect(
        candidates.contains { Self.matches(step.expected, $0) },
        """
        \(step) printed something else than the README shows.
        README:
        \(step.expected.joined(separator: "\n"))
        printed:
        \(lines.joined(separator: "\n"))
        """)
    }
  }
}
