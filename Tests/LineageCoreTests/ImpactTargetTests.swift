import Testing

@testable import LineageCore

/// Resolving `PRODUCT[.COLUMN]` targets (moved from the command line into the core),
/// the impact exit decision, and the errors' shared located shape.
@Suite struct ImpactTargetTests {
  @Test func aNodeIdIsAProductAndOtherwiseTheLastDotSplitsOffTheColumn() throws {
    let m = impactMesh()
    let g = m.graph
    let a = try #require(g.index(of: "a"))
    #expect(try ImpactAnalysis.resolve("a", in: g) == (a, nil))
    let r = try ImpactAnalysis.resolve("a.amount", in: g)
    #expect(r.product == a && r.column == "amount")
    #expect(ColumnReach.target("a.amount", in: g).map { ($0.product, $0.column) }! == (a, "amount"))
    // A node id is never a column target; nor is a prefix that is no node.
    #expect(ColumnReach.target("a", in: g) == nil)
    #expect(ColumnReach.target("zz.amount", in: g) == nil)
  }

  @Test func anUnknownProductIsAnErrorWithTheClosestId() {
    let g = impactMesh().graph
    #expect(throws: ImpactError(.noSuchProduct, message: "no product 'bb' in the mesh (did you mean 'b'?)")) {
      try ImpactAnalysis.resolve("bb.amount", in: g)
    }
  }

  @Test func analyzeByTargetIsAnalyzeByIndex() throws {
    let m = impactMesh()
    let byTarget = try ImpactAnalysis.analyze(m, target: "a.amount", change: .drop)
    let byIndex = try ImpactAnalysis.analyze(m, product: m.graph.index(of: "a")!, column: "amount", change: .drop)
    #expect(byTarget.affected == byIndex.affected)
    // The column rule is ColumnReach's, with its reason.
    #expect(throws: ImpactError.self) { try ImpactAnalysis.analyze(m, target: "a.nope", change: .drop) }
    do {
      _ = try ImpactAnalysis.analyze(m, target: "a.nope", change: .drop)
    } catch {
      #expect(error.reason == .noSuchColumn)
    }
  }

  @Test func changeMismatchesHaveReasonsAndNoCommandLineFlags() {
    let m = impactMesh()
    for (target, change, reason) in [
      ("a", SchemaChange.drop, ImpactError.Reason.columnRequired),
      ("a.amount", .retire, .productRequired),
    ] {
      do {
        _ = try ImpactAnalysis.analyze(m, target: target, change: change)
        Issue.record("\(target) \(change) should fail")
      } catch {
        #expect(error.reason == reason)
        #expect(!(error.hint ?? "").contains("--"))
        #expect(error.location == nil)
      }
    }
  }

  @Test func theExitDecisionComesFromTheResult() throws {
    let m = impactMesh()
    let drop = try ImpactAnalysis.analyze(m, target: "a.amount", change: .drop)
    #expect(drop.affected.contains { $0.verdict == .breaks })
    #expect(drop.fails(on: .breaks) && drop.fails(on: .mayBreak) && !drop.fails(on: .never))
    // Only may-break: the reader does not say which columns it reads.
    let loose = LineageModel(
      mesh: Mesh(
        name: "t",
        nodes: [
          MeshNode(id: "x", kind: .product, schema: [Column(name: "v", type: "int")]),
          MeshNode(id: "y", kind: .consumer, inputs: [Input(product: "x")]),
        ]), loadFindings: [], source: "t")
    let mayBreak = try ImpactAnalysis.analyze(loose, target: "x.v", change: .drop)
    #expect(mayBreak.affected.map(\.verdict) == [.mayBreak])
    #expect(!mayBreak.fails(on: .breaks) && mayBreak.fails(on: .mayBreak) && !mayBreak.fails(on: .never))
    let nothing = try ImpactAnalysis.analyze(m, target: "d", change: .retire)
    #expect(nothing.affected.isEmpty && !nothing.fails(on: .mayBreak))
  }

  @Test func aSelectorErrorIsLocatedInItsArgument() {
    let g = impactMesh().graph
    do {
      _ = try Selector.parse(["domain:x,"], in: g)
      Issue.record("a trailing comma should fail")
    } catch {
      let located: any LocatedError = error
      #expect(located.location?.file == "domain:x,")
      #expect(located.location?.line == 1 && located.location?.column == error.column)
    }
  }
}
