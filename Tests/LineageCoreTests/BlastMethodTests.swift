import Testing

@testable import LineageCore

/// `GraphStats.BlastMethod.automatic(for:)`: the size rule `stats --blast auto` uses.
@Suite struct BlastMethodTests {
  @Test func exactUpToTheLimit() {
    #expect(GraphStats.BlastMethod.automatic(for: makeGraph(3, [(0, 1)])) == .exact)
    #expect(GraphStats.BlastMethod.automatic(for: makeGraph(GraphStats.exactBlastLimit, [])) == .exact)
    #expect(GraphStats.BlastMethod.automatic(for: makeGraph(GraphStats.exactBlastLimit + 1, [])) == .approximate)
  }
}
