import LineageCore
import PropertyBased
import Testing

@testable import LineageReports

/// The findings report laid out in bytes is, byte for byte, its text.
@Suite struct FindingsTextBytesTests {
  /// Text that is plain, and text that needs escapes for a terminal (controls, C1,
  /// line and paragraph separators, bidi overrides) or is not ASCII.
  static let pieces = [
    "plain", "", "a b", "tab\there", "new\nline", "esc \u{1B}[31mred", "c1 \u{85} \u{9B}", "sep \u{2028}\u{2029}",
    "bidi \u{202E}gnp.exe", "é ü 字 🙂", "del \u{7F}", "x:1:2",
  ]

  @Test(arguments: 0..<24)
  func theBytesAreTheText(seed: Int) {
    var rng = SeededRandom(seed: UInt64(seed))
    func piece() -> String { Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
    func location() -> LineageCore.SourceLocation {
      let line = Int(rng.next() % 3) * 7
      return LineageCore.SourceLocation(file: piece() + ".yaml", line: line, column: Int(rng.next() % 3) * 1_000_003)
    }
    var findings: [Finding] = []
    for _ in 0..<Int(rng.next() % 40) {
      var f = Finding(
        rule: Finding.Rule(rawValue: ["require-owner", "broken-reference", "read-error"][Int(rng.next() % 3)]),
        severity: Severity.allCases[Int(rng.next() % 3)], message: piece() + " " + piece())
      if rng.next() % 4 != 0 { f.location = location() }
      if rng.next() % 2 == 0 { f.hint = piece() }
      f.related = (0..<Int(rng.next() % 3)).map { _ in location() }
      findings.append(f)
    }
    var report = FindingsReport(
      findings: findings, source: "mesh directory " + piece(), failOn: rng.next() % 2 == 0 ? .error : .warning)
    if rng.next() % 3 == 0 {
      report.partial = PartialNote(loadErrors: Array(findings.prefix(2)), source: piece())
    }
    for color in [false, true] {
      for summary in [false, true] {
        let style = TextStyle(color: color)
        let text = report.text(style: style, summary: summary)
        let bytes = report.textBytes(style: style, summary: summary)
        #expect(bytes == Array(text.utf8), "colour \(color), summary \(summary)")
      }
    }
  }
}
