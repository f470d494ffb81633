import Foundation
import PropertyBased
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// A stream folds away the runs that can no longer count (``OpenLineageStream/fold()``):
/// its memory follows the jobs, not the runs read, and its mesh is still the mesh of
/// reading every event at once; an event of a run folded away is refused, and a stream
/// that keeps that run reads it in order.
@Suite struct OpenLineageFoldTests {
  static let jobs = 12

  /// Run `n` of job `n % jobs`, at second `n`: a START, then (one second later) a
  /// COMPLETE, FAIL or ABORT, or nothing (a run still going); inputs and outputs from a
  /// few datasets, so that runs of one job differ.
  static func events(runs: Int, seed: UInt64) -> [(document: OpenLineageDocument, time: Double)] {
    var random = SeededRandom(seed: seed)
    var out: [(OpenLineageDocument, Double)] = []
    for n in 0..<runs {
      let job = n % jobs
      let id = run(n)
      let input = "in\(random.next() % 5)"
      let output = "out\(job)_\(random.next() % 3)"
      out.append(event(id: id, job: job, type: "START", second: 2 * n, inputs: [input], outputs: []))
      let end = ["COMPLETE", "COMPLETE", "COMPLETE", "FAIL", "ABORT", nil][Int(random.next() % 6)]
      if let end {
        out.append(event(id: id, job: job, type: end, second: 2 * n + 1, inputs: [], outputs: [output]))
      }
    }
    return out
  }

  static func run(_ n: Int) -> String { String(format: "01890a4e-5b1e-7000-8000-%012d", n) }

  static func event(id: String, job: Int, type: String, second: Int, inputs: [String], outputs: [String])
    -> (document: OpenLineageDocument, time: Double)
  {
    func list(_ names: [String]) -> String {
      names.map { #"{"namespace":"n","name":"\#($0)"}"# }.joined(separator: ",")
    }
    let time = 1_700_000_000 + Double(second)
    let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: time))
    let text =
      #"{"eventTime":"\#(stamp)","eventType":"\#(type)","run":{"runId":"\#(id)"},"job":{"namespace":"n","name":"j\#(job)"},"inputs":[\#(list(inputs))],"outputs":[\#(list(outputs))],"producer":"p","schemaURL":"s"}"#
    return (OpenLineageDocument(bytes: Array(text.utf8), label: "event at \(stamp)"), time)
  }

  /// Reads `events` into `stream` as the server does: a mark every `every` events, the
  /// oldest forgotten past `kept`.
  static func read(
    _ events: ArraySlice<(document: OpenLineageDocument, time: Double)>, into stream: inout OpenLineageStream,
    every: Int = 32, kept: Int = 4
  ) -> Bool {
    for e in events {
      if stream.documentCount % every == 0 {
        stream.mark()
        if stream.marks.count > kept { stream.forgetOldestMark() }
      }
      guard stream.append(e.document, time: e.time) else { return false }
    }
    return true
  }

  @Test(arguments: [false, true])
  func runsThatCanNoLongerCountAreFoldedAndTheMeshIsTheSame(jobsAsNodes: Bool) {
    let importer = OpenLineageImporter(jobsAsNodes: jobsAsNodes)
    let events = Self.events(runs: 1_500, seed: 7)
    var stream = OpenLineageStream(importer: importer)
    var read = 0
    var most = 0
    while read < events.count {
      let next = min(events.count, read + 317)
      #expect(Self.read(events[read..<next], into: &stream))
      read = next
      most = max(most, stream.accumulator.runs.count)
      // The mesh, with a few more events read on the side, is that of reading them all.
      let more = Array(events[read..<min(events.count, read + 5)])
      let made = stream.meshUpdate(reading: more.map { ($0.document, Optional($0.time)) })
      let all = importer.load(documents: events[..<(read + more.count)].map(\.document))
      #expect(made?.mesh.nodes == all.0.nodes)
      #expect(made?.findings == all.1)
    }
    // Kept: each job's latest completed run, the runs still going, and those read since
    // the oldest mark (4 marks of 32 events); the rest folded.
    #expect(stream.foldedRuns > 1_000, "\(stream.foldedRuns) folded")
    #expect(most < 450, "\(most) runs kept at most")
    #expect(stream.accumulator.runs.count + stream.foldedRuns == 1_500)
    // The lists of runs lose the folded ones too.
    let a = stream.accumulator
    #expect(a.runOrder.count == a.runs.count && Set(a.runOrder) == Set(a.runs.keys))
    #expect(a.runsOfJob.values.reduce(0) { $0 + $1.count } == a.runs.count)
    #expect(a.runsOfJob.allSatisfy { job, ids in ids.allSatisfy { a.runs[$0]?.job == job } })
    #expect(stream.lateRuns.isEmpty)
  }

  @Test func withCumulativeHistoryNoRunIsFolded() {
    let importer = OpenLineageImporter(history: .cumulative)
    let events = Self.events(runs: 300, seed: 3)
    var stream = OpenLineageStream(importer: importer)
    #expect(Self.read(events[...], into: &stream))
    stream.fold()
    #expect(stream.foldedRuns == 0 && stream.accumulator.runs.count == 300)
    #expect(stream.mesh().0.nodes == importer.load(documents: events.map(\.document)).0.nodes)
  }

  /// An event of a run folded away (here a COMPLETE later than its job's latest run,
  /// which makes it the latest, with the input of its START) is refused; a new stream
  /// that keeps the run reads every event in order and gets the mesh of reading them all.
  @Test func anEventOfAFoldedRunIsRefusedAndReadInOrderByAStreamThatKeepsTheRun() throws {
    let importer = OpenLineageImporter()
    var events = Self.events(runs: 600, seed: 11)
    var stream = OpenLineageStream(importer: importer)
    #expect(Self.read(events[...], into: &stream))
    // Run 24 (job 0) ended long ago; some run of job 0 after it completed, so it is folded.
    let old = Self.run(24)
    #expect(stream.accumulator.runs[old] == nil && stream.foldedRuns > 400)
    let late = Self.event(id: old, job: 0, type: "COMPLETE", second: 5_000, inputs: ["late"], outputs: ["out0_9"])
    let (count, latest) = (stream.documentCount, stream.latest)
    let appended = stream.append(late.document, time: late.time)
    #expect(!appended)
    #expect(stream.lateRuns == [old])
    #expect(stream.documentCount == count && stream.latest == latest)
    // A question that reads it on the side is refused too, and changes nothing.
    let asked = stream.meshUpdate(reading: [(late.document, late.time)])
    #expect(asked == nil)
    #expect(stream.documentCount == count)

    events.append(late)
    var again = OpenLineageStream(importer: importer)
    again.pinnedRuns = stream.lateRuns
    #expect(Self.read(events[...], into: &again))
    #expect(again.accumulator.runs[old] != nil && again.foldedRuns > 400)
    let (mesh, findings) = again.mesh()
    let all = importer.load(documents: events.map(\.document))
    #expect(mesh.nodes == all.0.nodes)
    #expect(findings == all.1)
    // The run's START named its input: the output read it, as in time order.
    let start = try #require(
      events.first { String(decoding: $0.document.bytes, as: UTF8.self).contains(old) }?.document.bytes)
    let input = try #require(
      String(decoding: start, as: UTF8.self).firstMatch(of: /"inputs":\[\{"namespace":"n","name":"(in\d)"/)?.1)
    let output = try #require(mesh.nodes.first { $0.id == "n:out0_9" })
    #expect(Set(output.inputs.map(\.product)) == ["n:late", "n:\(input)"])
  }

  /// A run that has not ended (no COMPLETE, FAIL or ABORT yet) is never folded, however
  /// old: its end, when it comes, is read in order.
  @Test func aRunStillGoingIsKeptAndItsEndReadInOrder() {
    let importer = OpenLineageImporter()
    var events = [Self.event(id: Self.run(9_999), job: 1, type: "START", second: 0, inputs: ["first"], outputs: [])]
    events += Self.events(runs: 400, seed: 5).map { ($0.document, $0.time + 1) }
    events.append(
      Self.event(id: Self.run(9_999), job: 1, type: "COMPLETE", second: 9_000, inputs: [], outputs: ["final"]))
    var stream = OpenLineageStream(importer: importer)
    #expect(Self.read(events[...], into: &stream))
    #expect(stream.foldedRuns > 200)
    let (mesh, _) = stream.mesh()
    #expect(mesh.nodes == importer.load(documents: events.map(\.document)).0.nodes)
    #expect(mesh.nodes.first { $0.id == "n:final" }?.inputs.map(\.product) == ["n:first"])
  }
}

extension OpenLineageFoldTests {
  /// A run that a level of undo can make its job's latest again is not folded: a
  /// return to the mark before a later run of its job gives the mesh of the events
  /// read up to that mark.
  @Test func aRunAMarkCanMakeLatestAgainIsKept() {
    let importer = OpenLineageImporter()
    var read = [
      Self.event(id: Self.run(1), job: 0, type: "START", second: 0, inputs: ["a"], outputs: []),
      Self.event(id: Self.run(1), job: 0, type: "COMPLETE", second: 1, inputs: [], outputs: ["out"]),
    ]
    var stream = OpenLineageStream(importer: importer)
    for e in read {
      let taken = stream.append(e.document, time: e.time)
      #expect(taken)
    }
    stream.mark()
    let later = Self.event(id: Self.run(2), job: 0, type: "COMPLETE", second: 10, inputs: ["b"], outputs: ["out"])
    var taken = stream.append(later.document, time: later.time)
    #expect(taken)
    stream.fold()
    #expect(stream.foldedRuns == 0)
    #expect(stream.mesh().0.nodes.first { $0.id == "n:out" }?.inputs.map(\.product) == ["n:b"])
    stream.rewind(toMark: 0)
    let (mesh, findings) = stream.mesh()
    let before = importer.load(documents: read.map(\.document))
    #expect(mesh.nodes == before.0.nodes && findings == before.1)
    #expect(mesh.nodes.first { $0.id == "n:out" }?.inputs.map(\.product) == ["n:a"])
    // Once no mark can take the later run back, the first is folded.
    taken = stream.append(later.document, time: later.time)
    #expect(taken)
    read.append(later)
    stream.mark()
    stream.forgetOldestMark()
    #expect(stream.foldedRuns == 1)
    #expect(stream.mesh().0.nodes == importer.load(documents: read.map(\.document)).0.nodes)
  }
}

extension OpenLineageFoldTests {
  /// With several marks, a job's latest run changed in each level: forgetting the
  /// oldest mark folds the run no mark can make latest again and keeps the one the
  /// (new) oldest mark had as latest; a return to that mark gives the mesh of the events
  /// read up to it.
  @Test func withSeveralMarksOnlyTheRunsNoMarkCanMakeLatestAreFolded() {
    let importer = OpenLineageImporter()
    func complete(_ n: Int, second: Int, input: String) -> (document: OpenLineageDocument, time: Double) {
      Self.event(id: Self.run(n), job: 0, type: "COMPLETE", second: second, inputs: [input], outputs: ["out"])
    }
    let events = [
      complete(1, second: 1, input: "a"), complete(2, second: 10, input: "b"), complete(3, second: 20, input: "c"),
    ]
    var stream = OpenLineageStream(importer: importer)
    var atMark: [Int] = []
    for e in events {
      stream.mark()
      atMark.append(stream.documentCount)
      let taken = stream.append(e.document, time: e.time)
      #expect(taken)
    }
    // Marks before runs 1, 2 and 3; forgetting the first leaves the one before run 2.
    stream.forgetOldestMark()
    #expect(stream.foldedRuns == 0, "run 1 was the latest when the oldest level left began")
    stream.mark()
    stream.forgetOldestMark()
    // The oldest mark now comes after run 2 completed: run 1 can no longer count.
    #expect(stream.foldedRuns == 1 && stream.accumulator.runs[Self.run(1)] == nil)
    #expect(stream.accumulator.runs[Self.run(2)] != nil)
    stream.rewind(toMark: 0)
    let (mesh, findings) = stream.mesh()
    let expected = importer.load(documents: events[..<atMark[2]].map(\.document))
    #expect(mesh.nodes == expected.0.nodes && findings == expected.1)
    #expect(mesh.nodes.first { $0.id == "n:out" }?.inputs.map(\.product) == ["n:b"])
  }
}
