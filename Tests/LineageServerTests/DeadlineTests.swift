import Testing

@testable import LineageServer

/// The deadline on the PostgreSQL store's writes.
@Suite struct DeadlineTests {
  @Test func aWriteThatEndsInTimeIsNeverAnsweredAsTimedOut() async throws {
    // The write's end takes the answer before it cancels the timer, so a timer that
    // fires at that moment finds it taken (it once answered "timed out" for a
    // committed write).
    // (A deadline far beyond a busy suite's delays: the race did not depend on it.)
    for i in 0..<5_000 {
      let v = try await PostgresEventStore.bounded(by: .seconds(120)) { i }
      #expect(v == i)
    }
  }

  @Test func aWriteThatDoesNotEndIsAnsweredAtTheDeadline() async throws {
    // The body would end after ten minutes, with a value: only the deadline makes it
    // throw. (The time is not measured: the whole suite may keep every thread of the
    // tasks' pool busy for a while, which delays this test's own resumption.)
    let clock = ContinuousClock()
    let start = clock.now
    await #expect(throws: PostgresEventStore.TimedOut.self) {
      try await PostgresEventStore.bounded(by: .milliseconds(200)) {
        try? await Task.sleep(for: .seconds(600))
        return 1
      }
    }
    #expect(clock.now - start < .seconds(300), "the body was waited for")
  }
}
