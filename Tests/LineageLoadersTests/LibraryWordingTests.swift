import Foundation
import LineageCore
import Testing

@testable import LineageLoaders

/// Library messages name no command-line flag: a front end phrases its own (the
/// command line's words are tested end to end).
@Suite struct LibraryWordingTests {
  @Test func loadErrorsCarryAReasonAndNoFlag() throws {
    do {
      _ = try ModelLoader.load(paths: ["/nonexistent/lineage-input"])
      Issue.record("loaded a path that does not exist")
    } catch {
      #expect(error.reason == .noSuchInput)
      #expect(error.message == "/nonexistent/lineage-input: no such file or directory")
      #expect(error.hint?.contains("--") == false, "\(error.hint ?? "")")
    }
    let empty = NSTemporaryDirectory() + "lineage-empty-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: empty) }
    do {
      _ = try ModelLoader.load(paths: [], cwd: empty)
      Issue.record("found a mesh in an empty directory")
    } catch {
      #expect(error.reason == .noMeshFound)
      #expect(error.hint?.contains("--") == false, "\(error.hint ?? "")")
    }
  }

  @Test func findingHintsNameNoFlag() {
    #expect(!BitolImporter.missingContractHint.contains("--"))
    #expect(!OpenLineageImporter.keepColumnLineageHint.contains("--"))
  }
}
