import Testing

@testable import LineageCore

/// `CSR.localityOrder`: Kahn's order, then what a cycle holds back, in index order.
@Suite struct LocalityOrderTests {
  @Test func acyclicIsTopological() {
    // 3 -> 1 -> 0, 3 -> 2 -> 0
    let g = CSR(nodeCount: 4, sources: [3, 1, 3, 2], targets: [1, 0, 2, 0])
    let order = g.localityOrder()
    #expect(order.sorted() == [0, 1, 2, 3])
    let at = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    for (s, t) in [(3, 1), (1, 0), (3, 2), (2, 0)] { #expect(at[Int32(s)]! < at[Int32(t)]!) }
  }

  @Test func cyclesGoLastInIndexOrder() {
    // 0 <-> 1 (a cycle), 1 -> 2 (below it), 3 alone, 4 -> 3.
    let g = CSR(nodeCount: 5, sources: [0, 1, 1, 4], targets: [1, 0, 2, 3])
    #expect(g.localityOrder() == [4, 3, 0, 1, 2])
  }
}
