import Testing

@testable import LineageCore

@Suite struct CalendarDateTests {
  @Test func parsesAndPrintsTheSpecForm() throws {
    let d = try CalendarDate.parse("2026-03-01")
    #expect((d.year, d.month, d.day) == (2026, 3, 1))
    #expect(d.description == "2026-03-01")
    let text = "2026-12-31"
    #expect(CalendarDate(text) == "2026-12-31")
  }

  @Test func comparesByDayNotByText() {
    let a: CalendarDate = "2026-01-31", b: CalendarDate = "2026-02-01", c: CalendarDate = "2027-01-01"
    #expect(a < b && b < c && !(c < a))
    #expect(("2026-12-31" as CalendarDate) < ("2027-01-01" as CalendarDate))
  }

  /// The same texts are refused as the spec loader always refused, each with the
  /// part at fault and where it is.
  @Test(arguments: [
    ("2026-1-05", 1, "is not a date of the form YYYY-MM-DD"),
    ("20260105", 1, "is not a date of the form YYYY-MM-DD"),
    ("2026-01-05T00:00", 1, "is not a date of the form YYYY-MM-DD"),
    ("+026-01-05", 1, "is not a date of the form YYYY-MM-DD"),
    ("1899-12-31", 1, "has year 1899, before 1900"),
    ("2026-13-01", 6, "has month 13"),
    ("2026-00-01", 6, "has month 00"),
    ("2026-01-32", 9, "has day 32"),
  ])
  func refusesWhatIsNotADate(_ text: String, _ column: Int, _ message: String) {
    #expect(throws: CalendarDate.ParseError(message: "'\(text)' " + message, column: column)) {
      try CalendarDate.parse(text)
    }
    #expect(CalendarDate(text) == nil)
  }

  @Test func governanceWithoutAKnownDateCountsNoSunsetAsPast() {
    #expect(Governance.Context(today: "not a date").today == nil)
    #expect(Governance.Context(today: "2026-11-23").today == "2026-11-23")
  }
}
