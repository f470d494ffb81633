import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageRender
import LineageReports

struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare two versions of a mesh and gate CI on breaking changes.",
    discussion: """
      BASE and HEAD are mesh directories or git revisions of the repository the mesh \
      lives in (read through git; the working tree is untouched). HEAD defaults to the \
      working tree. Every change is listed and classified; each breaking one gets its \
      blast radius, computed on the new version with the changed product as it was, so \
      readers that were already updated do not count. Exit status 1 when a breaking \
      change reaches a reader outside the changing team (--fail-on), unless \
      lineage-ignore.yaml lets it through until its expiry date.
      """)

  @Argument(help: "The old version: a mesh directory or a git revision.") var base: String
  @Argument(help: "The new version (default: the working tree).") var head: String?
  @Option(help: "Fail on: breaks (default), may-break, or any breaking change.") var failOn: Threshold = .breaks
  @Option(help: ArgumentHelp("Ignore file (default: lineage-ignore.yaml at the new mesh's root).", valueName: "file"))
  var ignore: String?
  @Option(help: .hidden) var today: String?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions

  enum Threshold: String, ExpressibleByArgument, CaseIterable {
    case breaks
    case mayBreak = "may-break"
    case any
  }

  func validate() throws {
    if mesh.mesh.count > 1 {
      throw ValidationError("diff compares two versions of one mesh: give --mesh once (the working tree), or not at all")
    }
  }

  func run() throws {
    let fm = FileManager.default
    // The working-tree mesh: --mesh, or the nearest mesh.yaml upward.
    let workingRoot: String? = {
      if let m = mesh.mesh.first {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: m, isDirectory: &isDir) {
          return isDir.boolValue ? m : (m as NSString).deletingLastPathComponent
        }
        return nil
      }
      return ModelLoader.findMeshRoot(from: fm.currentDirectoryPath)
    }()
    func resolve(_ spec: String) throws -> (LineageModel, String) {
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: spec, isDirectory: &isDir) {
        return (try load(spec), spec)
      }
      guard let root = workingRoot else {
        Output.error("'\(spec)' is not a directory, and no mesh was found to read git revisions from")
        throw Status.input
      }
      do {
        let dir = try GitRevision.checkout(meshRoot: root, revision: spec)
        return (try load(dir, display: root), root)
      } catch let error as LoadError {
        Output.error(error.description)
        throw Status.input
      }
    }
    let (old, _) = try resolve(base)
    let new: LineageModel, newRoot: String
    if let head {
      (new, newRoot) = try resolve(head)
    } else {
      guard let root = workingRoot else {
        Output.error("no mesh.yaml found for the new version; give HEAD or --mesh")
        throw Status.input
      }
      (new, newRoot) = (try load(root), root)
    }
    let (changes, versions) = MeshDiff.compare(base: old, head: new)
    let ignorePath = ignore ?? newRoot + "/lineage-ignore.yaml"
    if let ignore, !fm.fileExists(atPath: ignore) {
      Output.error("ignore file \(ignore) does not exist")
      throw Status.input
    }
    let (entries, ignoreFindings) = IgnoreFile.load(path: ignorePath, display: ignore ?? ignorePath)
    if ignoreFindings.contains(where: { $0.severity == .error }) {
      let style = TextStyle(color: false)
      FileHandle.standardError.write(Data(ignoreFindings.map { FindingsReport.line($0, style: style) }.joined().utf8))
      throw Status.input
    }
    let date = today ?? isoToday()
    let threshold = DiffGate.Threshold(rawValue: failOn.rawValue) ?? .breaks
    let decision = DiffGate.decide(changes, threshold: threshold, ignores: entries, today: date)
    let dangling = new.findings.filter { $0.rule == "unresolved-reference" || $0.rule == "lineage-column-not-read" }
    var diagrams: [(title: String, text: String)] = []
    if output.format == .markdown {
      for c in changes where c.breaking {
        guard let r = c.impact, let m = c.impactModel, !r.affected.isEmpty, diagrams.count < 3 else { continue }
        let plan = Views.plan(m, ViewRequest(level: .product, impact: r))
        diagrams.append((c.key, MermaidWriter.write(plan.diagram)))
      }
    }
    let report = DiffReport(base: base, head: head ?? "working tree", changes: changes, versions: versions,
                            decision: decision, threshold: threshold, dangling: dangling, mermaid: diagrams)
    try output.emit(
      text: { report.text(style: output.style) }, json: { report.json() }, markdown: { report.markdown() },
      sarif: { SARIFWriter.write(report.findings) },
      junit: { JUnitWriter.write(report.findings, suite: "lineage diff", failOn: .error) })
    if !report.passed { throw Status.findings }
  }

  func load(_ path: String, display: String? = nil) throws -> LineageModel {
    do {
      return try ModelLoader.load(path: path, display: display)
    } catch {
      Output.error(error.description)
      throw Status.input
    }
  }
}
