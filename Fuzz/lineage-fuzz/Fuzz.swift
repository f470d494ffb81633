// Fuzz harness for the parsers: the mesh spec loader, the selector parser, the graph
// JSON loader and the dbt, OpenLineage and ODCS/ODPS importers. The first byte of an
// input picks the target; the rest is the file.
//
// Built by `make fuzz` with -sanitize=fuzzer and -DFUZZING, this is a libFuzzer
// target. Built normally (as `make test` does), it is a replay tool: it runs every
// file of the directories given (the seed corpus and the crashes kept under
// Fuzz/regressions) through the same code, which the test suite calls.
import Foundation
import LineageCore
@_spi(Testing) import LineageLoaders
import LineageSQL

enum FuzzTarget: UInt8, CaseIterable {
  case meshSpec = 0
  case selector, graphJSON, dbt, openLineage, contract, sql
}

let scratch = NSTemporaryDirectory() + "lineage-fuzz-\(getpid())"

/// `LINEAGE_FUZZ_TARGET` (a case name) pins every input to one target.
let pinned: FuzzTarget? = ProcessInfo.processInfo.environment["LINEAGE_FUZZ_TARGET"].flatMap { name in
  FuzzTarget.allCases.first { "\($0)" == name }
}

/// No false pass: every error an importer of a third-party format reports while
/// reading (before references are resolved) means part of the input was not read, so
/// it must be a load error, and a model with load errors must be refused by
/// `loadComplete`, as every answering command does (exit 2). A model that reports a
/// load error and still passes would let a command exit 0 with the error on stderr.
func checkNoFalsePass(_ m: LineageModel, path: String, thirdParty: Bool) {
  if thirdParty, let e = m.loadFindings.first(where: { $0.severity == .error && !$0.isLoadError }) {
    fatalError("an importer error that is not a load error: [\(e.rule)] \(e.message)")
  }
  let refused = (try? ModelLoader.loadComplete(paths: [path])) == nil
  if refused != !m.isComplete {
    fatalError("loadComplete \(refused ? "refused" : "took") a model with \(m.loadErrors.count) load errors")
  }
}

/// Runs one input; any outcome but a crash (or a false pass) is fine.
func exercise(_ data: UnsafeBufferPointer<UInt8>) {
  guard let first = data.first else { return }
  let target = pinned ?? FuzzTarget.allCases[Int(first) % FuzzTarget.allCases.count]
  let body = Data(UnsafeBufferPointer(rebasing: data.dropFirst()))
  switch target {
  case .selector:
    let text = String(decoding: body, as: UTF8.self)
    var b = GraphBuilder()
    for id in ["sales.orders", "crm.customers", "a", "model.p.orders"] {
      let v = b.node(id)
      b.declare(v, kind: .product, domain: "sales", owner: "t", tags: ["pii"])
    }
    let g = b.build()
    if let s = try? Selector.parse(text.split(separator: " ").map(String.init), in: g) { _ = g.select(s) }
  case .meshSpec:
    let dir = scratch + "/mesh"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: dir + "/mesh.yaml", contents: body)
    if let m = try? ModelLoader.load(path: dir) {
      checkNoFalsePass(m, path: dir, thirdParty: false)
      _ = Governance.findings(m, context: .init(today: "2026-01-01"))
      _ = Ownership.audit(m)
    }
  case .graphJSON, .dbt, .openLineage:
    let name = target == .openLineage ? "events.jsonl" : "input.json"
    var bytes = [UInt8](body)
    if target == .dbt, !bytes.starts(with: Array("{\"metadata\"".utf8)) {
      bytes =
        Array(
          "{\"metadata\": {\"dbt_schema_version\": \"https://schemas.getdbt.com/dbt/manifest/v12.json\"}, \"nodes\": "
            .utf8) + bytes + Array("}".utf8)
    }
    let path = scratch + "/" + name
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    if let m = try? ModelLoader.load(path: path) {
      checkNoFalsePass(m, path: path, thirdParty: true)
      _ = BlastRadius.exact(m.graph.forward)
    }
    if target == .graphJSON {
      // Differential: the edge scan on a second core must agree with the ordinary pass.
      func outcome(_ ahead: Bool) -> String {
        bytes.withUnsafeBufferPointer { p in
          do throws(LoadError) {
            let m = try GraphJSONLoader.load(bytes: p, file: "g.json", scanEdgesAhead: ahead)
            return "\(m.graph.nodeCount) \(m.graph.edgeCount) \(m.findings.map(\.message))"
          } catch {
            return "\(error.message) \(error.location?.line ?? 0):\(error.location?.column ?? 0)"
          }
        }
      }
      let a = outcome(true), b = outcome(false)
      if a != b { fatalError("graph JSON edge scan differs: \(a) vs \(b)") }
    }
  case .sql:
    // The SQL front end in every dialect (the second byte picks it), with a schema so
    // that stars expand and names resolve, and as a file of a SQL mesh.
    guard let pick = body.first else { return }
    let dialect = SQLDialect.allCases[Int(pick) % SQLDialect.allCases.count]
    let text = String(decoding: body.dropFirst(), as: UTF8.self)
    var schema = SQLSchema()
    schema.addTable(["db", "s", "t"], columnNames: ["a", "b", "c"])
    schema.addTable(["db", "s", "u"], columnNames: ["a", "d"])
    let analysis = SQLLineage.analyze(text, dialect: dialect, schema: schema)
    for f in analysis.findings where f.line < 1 || f.column < 1 {
      fatalError("SQL finding without a place: \(f)")
    }
    let path = scratch + "/q.sql"
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(body.dropFirst()))
    if let (mesh, _) = try? SQLFilesImporter.load(files: [path], dialect: dialect) {
      _ = LineageModel(mesh: mesh, loadFindings: [], source: "fuzz")
    }
  case .contract:
    let path = scratch + "/c.odcs.yaml"
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data("kind: DataContract\n".utf8) + body)
    if let m = try? ModelLoader.load(path: path) { checkNoFalsePass(m, path: path, thirdParty: true) }
  }
}

#if FUZZING
  // swift-format-ignore: AlwaysUseLowerCamelCase
  // libFuzzer's C entry point, by its C name.
  @_silgen_name("LLVMFuzzerRunDriver")
  func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  /// SwiftPM names an executable's entry point after its product; libFuzzer's driver
  /// takes it from there.
  @_cdecl("lineage_fuzz_main")
  public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, count in
      guard let data else { return 0 }
      exercise(UnsafeBufferPointer(start: data, count: count))
      return 0
    }
  }
#else
  /// Replay: every file under the directories given, through the same code.
  @main
  enum Replay {
    static func main() {
      var files: [String] = []
      for dir in CommandLine.arguments.dropFirst() {
        for f in (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? [] {
          var isDir: ObjCBool = false
          if FileManager.default.fileExists(atPath: dir + "/" + f, isDirectory: &isDir), !isDir.boolValue {
            files.append(dir + "/" + f)
          }
        }
      }
      for f in files.sorted() {
        guard let d = FileManager.default.contents(atPath: f) else { continue }
        [UInt8](d).withUnsafeBufferPointer { exercise($0) }
      }
      try? FileManager.default.removeItem(atPath: scratch)
      print("replayed \(files.count) inputs")
    }
  }
#endif
