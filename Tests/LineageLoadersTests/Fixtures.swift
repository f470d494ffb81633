import Foundation
import LineageCore
import LineageLoaders

/// A temporary mesh directory written from `[relative path: contents]`.
struct TempMesh {
  let root: String

  init(_ files: [String: String]) throws {
    root = NSTemporaryDirectory() + "lineage-test-" + UUID().uuidString
    for (path, text) in files {
      let full = root + "/" + path
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }
  }

  func load() throws -> LineageModel { try ModelLoader.load(path: root) }

  func remove() { try? FileManager.default.removeItem(atPath: root) }

  /// Findings with `file` relative to the root.
  func findings(_ model: LineageModel) -> [Finding] {
    model.findings.map { f in
      var f = f
      if let l = f.location { f.location = SourceLocation(file: relative(l.file), line: l.line, column: l.column) }
      return f
    }
  }

  func relative(_ file: String) -> String {
    file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
  }
}

/// The 1-based line and column where `needle` first occurs in `text` (the
/// `occurrence`-th time), so tests name places by content instead of numbers.
func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int) {
  var seen = 0
  for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    var search = line[...]
    while let r = search.range(of: needle) {
      seen += 1
      if seen == occurrence { return (i + 1, line.distance(from: line.startIndex, to: r.lowerBound) + 1) }
      search = line[r.upperBound...]
    }
  }
  return (0, 0)
}

let meshYAML = """
  apiVersion: lineage/v1
  kind: Mesh
  name: test
  domains:
    - id: sales
      owner: team-sales
    - id: crm
      owner: team-crm
  teams:
    - id: team-sales
      contact: sales@example.com
    - id: team-crm
  policies:
    require-owner: error
  """

let customersYAML = """
  apiVersion: lineage/v1
  kind: Source
  id: crm.customers
  domain: crm
  schema:
    - name: id
      type: bigint
    - name: email
      type: string
      classification: pii
    - name: segment
      type: string
  """
