import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageRender
import LineageReports

struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two versions of a mesh and gate CI on breaking changes.",
    discussion: """
      BASE and HEAD are mesh directories or git revisions of the repository the mesh \
      lives in (read through git; the working tree is untouched). HEAD defaults to the \
      working tree. Every change is listed and classified; each breaking one gets its \
      blast radius, computed on the new version with the changed product as it was, so \
      readers that were already updated do not count. Exit status 1 when a breaking \
      change reaches a reader outside the changing team (--fail-on), unless \
      lineage-ignore.yaml lets it through until its expiry date.

      Examples (from the repository's root):
        lineage diff samples/demo samples/demo-after
        lineage diff samples/demo samples/demo-after --format markdown -o comment.md
        lineage diff samples/demo samples/demo-after --fail-on any --format sarif \\
            -o diff.sarif
      """)

  @Argument(help: "The old version: a mesh directory or a git revision.") var base: String
  @Argument(help: "The new version (default: the working tree).") var head: String?
  @Option(help: "Fail on: breaks (default), may-break, or any breaking change.") var failOn: DiffGate.Threshold =
    .breaks
  @Option(help: ArgumentHelp("Ignore file (default: lineage-ignore.yaml at the new mesh's root).", valueName: "file"))
  var ignore: String?
  @Option(help: .hidden) var today: CalendarDate?
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions
  @OptionGroup var comment: CommentOptions

  func validate() throws {
    if mesh.mesh.count > 1 {
      throw ValidationError(
        "diff compares two versions of one mesh: give --mesh once (the working tree), or not at all")
    }
    if mesh.allowLoadErrors {
      throw ValidationError(
        "diff never compares a version that was not read completely: --allow-load-errors does not apply to it")
    }
  }

  func run() throws {
    // The working-tree mesh: --mesh, or the nearest mesh.yaml upward. Each version is
    // loaded in full before anything is compared: a version with a load error stops
    // the diff (exit 2) and the CI outputs say so.
    let workingRoot = MeshVersion.workingRoot(mesh.mesh.first)
    // Both versions are read at once, each on a thread of its own: reading them is
    // most of a diff's time. A problem with BASE is reported before one with HEAD.
    let sides = Self.read([base, head], workingRoot: workingRoot)
    let oldSide = try sides[0].get()
    let newSide = try sides[1].get()
    let failures = oldSide.failures + newSide.failures
    guard let old = oldSide.model, let new = newSide.model, failures.isEmpty else {
      throw reportNotCompared(failures)
    }
    let (changes, versions) = MeshDiff.compare(base: old, head: new)
    let ignorePath = ignore ?? newSide.root + "/lineage-ignore.yaml"
    if let ignore, !FileManager.default.fileExists(atPath: ignore) {
      throw CLIError("ignore file \(ignore) does not exist")
    }
    let (entries, ignoreFindings) = IgnoreFile.load(path: ignorePath, display: ignore ?? ignorePath)
    if ignoreFindings.contains(where: { $0.severity == .error }) {
      throw CLIError(findings: ignoreFindings, message: nil)
    }
    let date = today ?? .today()
    let decision = DiffGate.decide(changes, threshold: failOn, ignores: entries, today: date)
    let dangling = MeshDiff.danglingReferences(base: old, head: new)
    var diagrams: [(title: String, text: String, note: String?)] = []
    if output.format == .markdown {
      // Changes of values and rows reach everything downstream: no diagram of their own.
      for c in changes where c.breaking && c.kind != .columnExpressionChanged && c.kind != .rowsChanged {
        guard let r = c.impact, let m = c.impactModel, r.count > 0, diagrams.count < 3 else { continue }
        // Within Mermaid's default limits: a focus or the domain level when the blast
        // radius is too large to draw; nothing when even those are.
        let view = Views.mermaid(m, ViewRequest(level: .product, impact: r, wording: .commandLine))
        guard view.fits else { continue }
        let smaller = view.plan.diagram.notes.first { $0.contains("past Mermaid's default limits") }
        diagrams.append((c.key, view.text, smaller))
      }
    }
    let report = DiffReport(
      base: base, head: head ?? "working tree", changes: changes, versions: versions,
      decision: decision, threshold: failOn, dangling: dangling, mermaid: diagrams)
    if output.format == .markdown { try comment.write { report.markdown(limit: .max) } }
    try output.emit(
      text: { report.text(style: output.style) }, json: { report.json() },
      markdown: { report.markdown(fullReport: comment.elsewhere) },
      sarif: {
        SARIFWriter.write(
          report.findings, fallbackFile: new.inputFiles.first)
      },
      junit: { JUnitWriter.write(report.findings, suite: "lineage diff", failOn: .error) })
    if !decision.passed { throw CLIError.findings }
  }

  /// Reads each version (nil: the working tree), in parallel.
  static func read(_ specs: [String?], workingRoot: String?) -> [Result<MeshVersion, CLIError>] {
    final class Results: @unchecked Sendable {
      let lock = NSLock()
      var values: [Result<MeshVersion, CLIError>?]
      init(_ n: Int) { values = Array(repeating: nil, count: n) }
    }
    let results = Results(specs.count)
    DispatchQueue.concurrentPerform(iterations: specs.count) { i in
      let r = read(specs[i], workingRoot: workingRoot)
      results.lock.withLock { results.values[i] = r }
    }
    return results.values.map { $0 ?? .failure(CLIError("the version was not read")) }
  }

  /// Reads one version: a directory, a file or a git revision, or the working tree.
  static func read(_ spec: String?, workingRoot: String?) -> Result<MeshVersion, CLIError> {
    guard let spec else {
      guard let root = workingRoot else {
        return .failure(CLIError("no mesh.yaml found for the new version; give HEAD or --mesh"))
      }
      return .success(MeshVersion.load(root, root: root))
    }
    do {
      return .success(try MeshVersion.resolve(spec, workingRoot: workingRoot))
    } catch {
      switch error {
      case .noWorkingMesh(let spec):
        return .failure(CLIError("'\(spec)' is not a directory, and no mesh was found to read git revisions from"))
      case .revision(let failure): return .failure(CLIError(failure))
      }
    }
  }

  /// Writes the Markdown, SARIF or JUnit report that says the versions could not be
  /// compared (a CI step that reads them never sees "passed"), and returns the error
  /// that says why.
  func reportNotCompared(_ failures: [Finding]) -> CLIError {
    let report = DiffReport.NotCompared(base: base, head: head ?? "working tree", loadErrors: failures)
    var error = CLIError(findings: failures, limit: 20, message: report.summary)
    do throws(CLIError) {
      switch output.format {
      case .markdown: try Output.write(Array(report.markdown().utf8), to: output.output)
      case .sarif:
        try Output.write(
          SARIFWriter.write(
            report.findings,
            executionSuccessful: false), to: output.output)
      case .junit:
        try Output.write(JUnitWriter.write(report.findings, suite: "lineage diff", failOn: .error), to: output.output)
      case .text, .json: break
      }
    } catch let failure {
      // Both are said: why nothing was compared, then why the report was not written.
      error.message = report.summary + (failure.message.map { "\nlineage: " + $0 } ?? "")
    }
    return error
  }
}
