import Foundation
import LineageCore
import Testing

@testable import LineageLoaders

/// `lineage-ignore.yaml`: entries carry their expiry as a date, read at the edge; a
/// text that is not a date is a located error and no entry.
@Suite struct IgnoreFileTests {
  func load(_ yaml: String) throws -> (entries: [IgnoreEntry], findings: [Finding]) {
    let path = NSTemporaryDirectory() + "lineage-ignore-\(UUID().uuidString).yaml"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return IgnoreFile.load(path: path, display: "lineage-ignore.yaml")
  }

  @Test func expiryIsADate() throws {
    let (entries, findings) = try load(
      "ignore:\n  - change: column-dropped crm.customers.email\n    reason: moved\n    expires: 2026-12-31\n")
    #expect(findings.isEmpty)
    let entry = try #require(entries.first)
    #expect(entry.expires == CalendarDate("2026-12-31"))
    #expect(entry.expires.description == "2026-12-31")
    #expect(entry.expires < "2027-01-01" && entry.expires > "2026-12-30")
  }

  @Test func aBadDateIsALocatedErrorAndNoEntry() throws {
    let (entries, findings) = try load(
      "ignore:\n  - change: column-dropped crm.customers.email\n    reason: moved\n    expires: 2026-13-01\n")
    #expect(entries.isEmpty)
    let f = try #require(findings.first)
    #expect(f.rule == .invalidValue && f.severity == .error)
    #expect(f.message == "expires '2026-13-01' is not a date")
    #expect(f.location == SourceLocation(file: "lineage-ignore.yaml", line: 4, column: 14))
    #expect(f.hint == "write it as YYYY-MM-DD")
  }
}
