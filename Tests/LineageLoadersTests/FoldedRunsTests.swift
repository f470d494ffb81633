import Foundation
import Testing

@testable import LineageLoaders

/// The folded runs' table in a file answers as a set of every key inserted, through
/// its growth; in memory without a file; and a table that cannot be read back counts
/// every run it may hold as folded (safe: the caller reads every event again).
@Suite struct FoldedRunsTests {
  @Test func theTableAnswersAsASetThroughItsGrowth() {
    let folded = FoldedRuns()
    var reference = Set<String>()
    #expect(folded.isEmpty && !folded.contains("a"))
    // 5,000 keys: the table doubles from 1,024 slots to 16,384.
    for i in 0..<5_000 {
      let key = i % 7 == 0 ? "01890a4e-5b1e-7000-8000-\(String(format: "%012d", i))" : "scope\u{0}job\u{0}run-\(i)"
      folded.insert(key)
      reference.insert(key)
      if i % 3 == 0 { folded.insert(key) }  // again: counted once
      if i % 500 == 0 {
        for k in stride(from: 0, through: i + 50, by: 7) {
          let probe = k % 7 == 0 ? "01890a4e-5b1e-7000-8000-\(String(format: "%012d", k))" : "x\(k)"
          #expect(folded.contains(probe) == reference.contains(probe))
        }
      }
    }
    #expect(folded.count == reference.count && !folded.inMemory && folded.fd >= 0)
    for key in reference { #expect(folded.contains(key)) }
    #expect(!folded.contains("never inserted"))
  }

  @Test func withoutAFileTheTableIsInMemory() {
    let folded = FoldedRuns(directory: "/nonexistent-\(UUID().uuidString)")
    for i in 0..<100 { folded.insert("k\(i)") }
    #expect(folded.inMemory && folded.count == 100)
    #expect(folded.contains("k42") && !folded.contains("k100"))
  }

  @Test func aTableThatCannotBeReadBackCountsEveryRunAsFolded() {
    let folded = FoldedRuns()
    for i in 0..<10 { folded.insert("k\(i)") }
    #expect(!folded.contains("other"))
    #expect(ftruncate(folded.fd, 16) == 0)
    // A run folded is still counted as folded (its probe reads short), never as new;
    // one the filter rules out is not read at all.
    #expect((0..<10).allSatisfy { folded.contains("k\($0)") })
    // The next insert finds the table unreadable, moves what it can to memory, and from
    // then on every run not kept counts as folded.
    folded.insert("k10")
    #expect(folded.inMemory && folded.contains("anything"))
  }
}
