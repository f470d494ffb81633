import Foundation
import Testing

/// Every input the fuzzer ever crashed on (and the hostile inputs kept beside them)
/// runs through the harness, built without libFuzzer, without crashing.
@Suite struct RegressionReplayTests {
  @Test func fuzzRegressionsReplay() throws {
    let fuzz = Fuzz.root + "/regressions"
    let p = Process()
    p.executableURL = URL(
      fileURLWithPath: URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        + "/lineage-fuzz")
    p.arguments = [fuzz]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(text)")
    #expect(text.contains("replayed 7 inputs"))
  }
}

enum Fuzz {
  /// The Fuzz folder (this file is Fuzz/Tests/RegressionReplayTests.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
}
