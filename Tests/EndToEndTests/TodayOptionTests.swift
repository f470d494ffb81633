import Testing

/// `--today` is read as a date at the command line's edge: a text that is not
/// `YYYY-MM-DD` is a usage error (exit 2), not a check without a date.
@Suite struct TodayOptionTests {
  @Test(arguments: [["validate", "--mesh", "samples/demo"], ["diff", "samples/demo", "samples/demo-after"]])
  func aBadDateIsAUsageError(_ command: [String]) throws {
    let r = try CLI.run(command + ["--today", "2026-13-01"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("2026-13-01"), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func aDateDecidesTheSunset() throws {
    let before = try CLI.run(["validate", "--mesh", "samples/demo", "--today", "2026-11-23"])
    let after = try CLI.run(["validate", "--mesh", "samples/demo", "--today", "2027-03-02"])
    #expect(before.status == 0)
    #expect(after.status == 1)
  }
}
