import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports
import LineageSQL

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Convert dbt manifests, OpenLineage events, ODCS contracts, ODPS products or SQL files into a mesh spec directory.",
    discussion: """
      Writes DIR/mesh.yaml and DIR/domains/*.yaml. The directory validates and loads \
      back into the same graph: imported kinds are kept as 'type:', dbt's identity of \
      each resource as 'resource:'. Nodes without a domain get one: the dbt package, \
      the OpenLineage namespace, 'contracts' / 'products', or 'sql' (tables and views \
      of .sql files, in the dialect --dialect names). The directory is written \
      next to DIR and renamed into place when complete; an existing DIR is replaced \
      only with --force.

      Examples (from the repository's root):
        lineage import dbt samples/jaffle_shop/target/manifest.json -o jaffle-mesh
        lineage import sql samples/sql --dialect duckdb -o sql-mesh
      """)

  @Argument(help: "The input format: dbt, openlineage, odcs, odps or sql.") var format: ImportFormat
  @Argument(help: "Input files (OpenLineage, ODCS/ODPS and SQL: also directories).") var files: [String]
  @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The mesh directory to write.", valueName: "dir"))
  var output: String
  @Flag(help: "Replace DIR when it exists.") var force = false
  @Option(help: ArgumentHelp("OpenLineage: 'latest' or 'cumulative' run history.", valueName: "mode"))
  var history: OpenLineageImporter.History = .latest
  @Flag(help: "OpenLineage: keep jobs as nodes.") var jobs = false
  @Option(help: ArgumentHelp("SQL: the dialect of the .sql files.", valueName: "dialect"))
  var dialect: SQLDialect = .generic

  func run() throws {
    let (mesh, findings) = try read()
    // A half-read input would be written as a mesh that looks whole: stop instead.
    if findings.contains(where: \.isLoadError) {
      throw CLIError.incomplete(
        LineageModel(mesh: mesh, loadFindings: findings, source: "input of 'lineage import \(format.rawValue)'"),
        allowHint: false)
    }
    let complete = mesh.completed { format.fallbackDomain(for: $0, in: mesh) }
    try writeDirectory(MeshSpecWriter.files(complete), to: output, force: force)
    // Read it back: the summary says what a user gets from `lineage validate`.
    let model = try loading { () throws(LoadError) in try ModelLoader.load(path: output) }
    let checked = Validation.findings(model, today: .today())
    let errors = checked.count(.error), warnings = checked.count(.warning)
    let read = [
      plural(findings.count(.error), "error"), plural(findings.count(.warning), "warning"),
      plural(findings.count(.info), "note"),
    ].joined(separator: ", ")
    let report =
      "imported \(plural(complete.nodes.count, "node")), \(plural(model.graph.edgeCount, "edge")) in \(plural(complete.domains.count, "domain")) into \(output)"
      + (findings.isEmpty ? "" : "; reading the input found \(read)")
      + "\n'lineage validate --mesh \(output)' reports \(plural(errors, "error")), \(plural(warnings, "warning")) and \(plural(checked.count(.info), "note"))\n"
    Output.summary(report)
  }

  /// Reads the input files in the chosen format: the mesh and the findings of reading it.
  func read() throws(CLIError) -> (Mesh, [Finding]) {
    switch format {
    case .dbt:
      var parts: [Mesh.Part] = []
      var findings: [Finding] = []
      for f in files {
        let m = try loading { () throws(LoadError) in try ModelLoader.load(path: f) }
        guard m.input == .dbtManifest else {
          throw CLIError("\(f) is not a dbt manifest.json (it reads as \(m.source))")
        }
        parts.append(Mesh.Part(mesh: m.mesh, source: m.source))
        findings += m.loadFindings
      }
      let (mesh, merge) = Mesh.merging(parts)
      return (mesh, findings + merge)
    case .openlineage:
      let importer = OpenLineageImporter(history: history, jobsAsNodes: jobs)
      return try loading { () throws(LoadError) in
        try importer.load(files: files.flatMap(OpenLineageImporter.files(at:)))
      }
    case .odcs, .odps:
      let all = files.flatMap(BitolImporter.files(at:))
      if all.isEmpty { throw CLIError("no ODCS contract or ODPS product among \(files.joined(separator: ", "))") }
      return try loading { () throws(LoadError) in try BitolImporter.load(files: all) }
    case .sql:
      let all = files.flatMap(SQLFilesImporter.files(at:))
      if all.isEmpty { throw CLIError("no .sql file among \(files.joined(separator: ", "))") }
      return try loading { () throws(LoadError) in try SQLFilesImporter.load(files: all, dialect: dialect) }
    }
  }

  /// Runs a load; a load error stops the import (exit status 2).
  private func loading<T>(_ body: () throws(LoadError) -> T) throws(CLIError) -> T {
    do {
      return try body()
    } catch {
      throw CLIError(error)
    }
  }

  /// Writes the files into a temporary directory beside `dir`, then renames it into
  /// place, so that an interrupted import leaves no half-written mesh.
  func writeDirectory(_ files: [(path: String, text: String)], to dir: String, force: Bool) throws(CLIError) {
    let fm = FileManager.default
    let url = URL(fileURLWithPath: dir).standardizedFileURL
    let parent = url.deletingLastPathComponent().path
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
      throw CLIError("cannot write \(dir): directory \(parent) does not exist")
    }
    let exists = fm.fileExists(atPath: url.path)
    if exists, !force, !((try? fm.contentsOfDirectory(atPath: url.path))?.isEmpty ?? false) {
      throw CLIError("\(dir) already exists; choose another directory or pass --force to replace it")
    }
    let tmp = parent + "/.\(url.lastPathComponent).tmp-\(getpid())"
    // A signal while the files are written stops the writer at the next file; the
    // temporary directory is removed and the process then dies of the signal.
    do {
      try SafeWrite.deferSignals { () throws in
        try writeFiles(files, tmp: tmp, to: url, parent: parent, replacing: exists)
      }
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError("cannot write \(url.path): \(error.localizedDescription)")
    }
  }

  private func writeFiles(
    _ files: [(path: String, text: String)], tmp: String, to url: URL, parent: String,
    replacing exists: Bool
  ) throws(CLIError) {
    let fm = FileManager.default
    do {
      try? fm.removeItem(atPath: tmp)
      for f in files where !SafeWrite.interrupted {
        let path = tmp + "/" + f.path
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(f.text.utf8).write(to: URL(fileURLWithPath: path))
        SafeWrite.pause("between-files")
      }
      if SafeWrite.interrupted {
        try? fm.removeItem(atPath: tmp)
        return
      }
      if exists {
        let old = parent + "/.\(url.lastPathComponent).old-\(getpid())"
        try fm.moveItem(atPath: url.path, toPath: old)
        try fm.moveItem(atPath: tmp, toPath: url.path)
        try? fm.removeItem(atPath: old)
      } else {
        try fm.moveItem(atPath: tmp, toPath: url.path)
      }
    } catch {
      try? fm.removeItem(atPath: tmp)
      throw CLIError("cannot write \(url.path): \(error.localizedDescription)")
    }
  }
}
