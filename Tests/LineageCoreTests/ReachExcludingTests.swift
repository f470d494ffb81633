import Testing

@testable import LineageCore

/// `reach(from:direction:maxDepth:excluding:)`: the traversal minus a selector's nodes,
/// depths as without the exclusion.
@Suite struct ReachExcludingTests {
  @Test func excludedNodesLeaveTheAnswerButNotTheTraversal() throws {
    let g = namedGraph(["a.x>b.y", "b.y>c.z", "a.x>d.w", "d.w>e.v"])
    let root = try #require(g.index(of: "a.x"))
    let all = g.reach(from: [root], direction: .downstream)
    #expect(g.reach(from: [root], direction: .downstream, excluding: nil) == all)
    let drop = try Selector.parse(["domain:b"], in: g)
    let kept = g.reach(from: [root], direction: .downstream, excluding: drop)
    // b.y is left out, c.z behind it is still reached, at its depth.
    let ids = Dictionary(uniqueKeysWithValues: zip(kept.nodes.map { g.id($0) }, kept.depths))
    #expect(ids == ["a.x": 0, "c.z": 2, "d.w": 1, "e.v": 2])
    // The same as filtering the full reach, in the same order.
    let dropped = Set(g.select(drop).nodes)
    #expect(kept.nodes == all.nodes.filter { !dropped.contains($0) })
  }

  @Test func theRootItselfCanBeExcludedAndDepthLimitsHold() throws {
    let g = namedGraph(["a.x>b.y", "b.y>c.z"])
    let root = try #require(g.index(of: "a.x"))
    let kept = g.reach(from: [root], direction: .downstream, maxDepth: 1, excluding: try Selector.parse(["a.x"], in: g))
    #expect(kept.nodes.map { g.id($0) } == ["b.y"] && kept.depths == [1])
    let up = g.reach(
      from: [try #require(g.index(of: "c.z"))], direction: .upstream,
      excluding: try Selector.parse(["b.*"], in: g))
    #expect(up.nodes.map { g.id($0) } == ["c.z", "a.x"])
  }
}
