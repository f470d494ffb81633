internal import Dispatch
internal import Foundation
public import LineageCore
internal import Yams

/// Reads a mesh spec v1 directory: `mesh.yaml` at its root and every `*.yaml` /
/// `*.yml` file below it (hidden directories skipped), each holding one or more
/// `lineage/v1` documents of kind `Mesh`, `DataProduct`, `Source` or `Consumer`.
///
/// Loading never stops at the first problem: every YAML syntax error, unknown kind,
/// missing, mistyped or unknown field and duplicate id becomes a located
/// ``Finding``; reference resolution happens later, in ``Resolver``.
public struct MeshSpecLoader {
  /// The spec version this loader reads.
  public static let apiVersion = "lineage/v1"
  /// Files larger than this are refused (a mesh spec file is small).
  public static let maxFileSize = 64 << 20

  /// The root directory (holding `mesh.yaml`).
  public let root: String
  /// The prefix shown before relative paths in findings ("" or "samples/demo/").
  public let displayPrefix: String

  /// Creates a loader for the mesh rooted at `root`; findings name files as
  /// `displayPrefix + relative path`.
  public init(root: String, displayPrefix: String) {
    self.root = root
    self.displayPrefix = displayPrefix
  }

  /// Loads the directory into a ``Mesh`` and the findings of loading it.
  public func load() -> (mesh: Mesh, findings: [Finding]) {
    var state = LoadState()
    let rootFile = ["mesh.yaml", "mesh.yml"].first { FileManager.default.fileExists(atPath: root + "/" + $0) }
    if let rootFile {
      loadFile(relative: rootFile, isRoot: true, state: &state)
    }
    if state.mesh == nil {
      let file = displayPrefix + (rootFile ?? "mesh.yaml")
      state.findings.append(
        Finding(
          rule: "missing-mesh", severity: .error,
          message: "\(file) holds no document of kind Mesh", location: SourceLocation(file: file, line: 1, column: 1),
          hint: "start the file with 'apiVersion: lineage/v1', 'kind: Mesh' and 'name: ...'"))
    }
    var files: [String] = []
    var walkFindings: [Finding] = []
    walk(into: &files, findings: &walkFindings)
    state.findings += walkFindings
    // The files are read and parsed a batch at a time on every core, then their
    // documents are loaded in file order, so the result is that of one reading.
    let rest = files.filter { $0 != rootFile }
    // A few files per core: memory holds the parsed trees of one batch at a time.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let batch = cores > 1 ? 4 * cores : 1
    var start = 0
    while start < rest.count {
      let names = Array(rest[start..<min(start + batch, rest.count)])
      start += names.count
      for file in parse(names) { load(file, isRoot: false, state: &state) }
    }
    var mesh = state.mesh ?? Mesh(name: "unnamed")
    mesh.nodes = state.nodes
    return (mesh, state.findings)
  }

  struct LoadState {
    var mesh: Mesh?
    var nodes: [MeshNode] = []
    var firstDeclaration: [String: SourceLocation] = [:]
    var findings: [Finding] = []
  }

  /// One file read and parsed, its documents not yet loaded. Made on one thread and
  /// handed to another once, never shared.
  struct ParsedFile: @unchecked Sendable {
    let diag: FileDiagnostics
    var roots: [Node] = []
    /// The YAML error that stopped the parsing, after `roots`.
    var error: (any Error)?
  }

  /// Reads and parses each file, on every core; in the order given.
  func parse(_ relatives: [String]) -> [ParsedFile] {
    guard relatives.count > 1 else { return relatives.map(parse) }
    var out = [ParsedFile?](repeating: nil, count: relatives.count)
    out.withUnsafeMutableBufferPointer { buffer in
      let slots = ParsedSlots(files: buffer)
      let loader = SendableLoader(loader: self)
      DispatchQueue.concurrentPerform(iterations: relatives.count) { i in
        slots.files[i] = loader.loader.parse(relatives[i])
      }
    }
    return out.map { $0 ?? ParsedFile(diag: FileDiagnostics(file: "")) }
  }

  struct ParsedSlots: @unchecked Sendable { let files: UnsafeMutableBufferPointer<ParsedFile?> }
  struct SendableLoader: @unchecked Sendable { let loader: MeshSpecLoader }

  /// Reads and parses one file (its problems go to its own diagnostics).
  func parse(_ relative: String) -> ParsedFile {
    var file = ParsedFile(diag: FileDiagnostics(file: displayPrefix + relative))
    guard let text = Self.readText(root + "/" + relative, diag: file.diag) else { return file }
    do {
      // As in loadFile: no implicit typing by regular expressions.
      let parser = try Parser(yaml: text, resolver: .basic)
      while let doc = try parser.nextRoot() { file.roots.append(doc) }
    } catch {
      file.error = error
    }
    return file
  }

  /// Loads the documents of a parsed file, then reports its YAML error, as
  /// ``loadFile(relative:isRoot:state:)`` does while parsing.
  func load(_ file: ParsedFile, isRoot: Bool, state: inout LoadState) {
    defer { state.findings += file.diag.findings }
    for (i, doc) in file.roots.enumerated() {
      loadDocument(doc, index: i + 1, isRootFile: isRoot, diag: file.diag, state: &state)
    }
    if let error = file.error { Self.report(yamlError: error, diag: file.diag) }
  }

  func loadFile(relative: String, isRoot: Bool, state: inout LoadState) {
    let display = displayPrefix + relative
    let diag = FileDiagnostics(file: display)
    defer { state.findings += diag.findings }
    guard let text = Self.readText(root + "/" + relative, diag: diag) else { return }
    let parser: Parser
    do {
      // No implicit typing by regular expressions (Yams's default resolver runs up to
      // seven per scalar, and again whenever a key is hashed or compared): the loader
      // reads every scalar as text and types it itself (YAMLFields).
      parser = try Parser(yaml: text, resolver: .basic)
    } catch {
      Self.report(yamlError: error, diag: diag)
      return
    }
    var index = 0
    while true {
      let root: Node?
      do {
        root = try parser.nextRoot()
      } catch {
        Self.report(yamlError: error, diag: diag)
        return
      }
      guard let doc = root else { break }
      index += 1
      loadDocument(doc, index: index, isRootFile: isRoot, diag: diag, state: &state)
    }
  }
}
