import Testing

@testable import LineageCore

/// `FindingsOutcome`: the exit decision of a findings run, made by the core.
@Suite struct FindingsOutcomeTests {
  func finding(_ rule: String, _ severity: Severity) -> Finding {
    Finding(rule: rule, severity: severity, message: rule)
  }

  @Test func loadErrorsThenTheFailingSeverityDecide() {
    let warning = finding("require-owner", .warning), error = finding("no-cycles", .error)
    let note = finding("schema-overlap", .info), load = finding("yaml-syntax", .error)
    #expect(FindingsOutcome([], failOn: .error) == .passed)
    #expect(FindingsOutcome([note, warning], failOn: .error) == .passed)
    #expect(FindingsOutcome([note, warning], failOn: .warning) == .failed)
    #expect(FindingsOutcome([warning, error], failOn: .error) == .failed)
    // A load error wins over everything else, whatever the threshold.
    #expect(FindingsOutcome([error, load], failOn: .error) == .incomplete)
    #expect(FindingsOutcome([load], failOn: .warning) == .incomplete)
    #expect(FindingsOutcome([load], failOn: .error).isFailure && !FindingsOutcome([note], failOn: .warning).isFailure)
    // A load-error rule at warning level is no load error.
    #expect(FindingsOutcome([finding("yaml-syntax", .warning)], failOn: .error) == .passed)
  }
}
