import ArgumentParser
import Dispatch
import LineageCore
import LineageLoaders
import LineageReports

struct DriftCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "drift",
    abstract: "Compare what ran (OpenLineage events) with what the mesh declares.",
    discussion: """
      Matches each observed dataset to a declared node by its 'location' (the dataset's \
      NAME or NAMESPACE:NAME, or a symlink's; a dbt node's relation_name), by node id, or \
      by the --map file (YAML: 'NAMESPACE:NAME' or a glob -> node id), and reports \
      undeclared-read, stale-input (a declared input not read within --window), \
      observed-private-access, observed-domain-only-access, schema-drift and \
      unknown-producer, each with the event that showed it; observed datasets that match \
      no node are listed as unmatched-dataset notes. Severities are configured under \
      'policies:' in mesh.yaml. The events are streamed: a file or directory of any size. \
      Exit status 1 when a finding is at or above --fail-on, 2 when an input cannot be read.

      Examples (from the repository's root):
        lineage drift --mesh samples/demo --observed samples/drift/demo-events.jsonl
        lineage drift --window 30d --format sarif -o drift.sarif \\
            --mesh samples/demo --observed samples/drift/demo-events.jsonl
      """)

  @Option(
    help: ArgumentHelp(
      "OpenLineage events: a file (JSON array, one event, or one per line) or a directory of them. Repeat to read several.",
      valueName: "path"))
  var observed: [String] = []
  @Option(
    help: ArgumentHelp(
      "How recently a declared input must have been read: a whole number and a unit, as in \(Drift.durationForms) (default: at all).",
      valueName: "duration"))
  var window: String?
  @Option(
    help: ArgumentHelp(
      "Answer as of this time, an ISO 8601 date or date-time: later events are left out, and the window ends here (default: the latest event read).",
      valueName: "time"))
  var until: String?
  @Option(
    help: ArgumentHelp(
      "A YAML file mapping observed datasets ('NAMESPACE:NAME', 'NAME' or a glob) to declared node ids.",
      valueName: "file"))
  var map: String?
  @Option(help: "The lowest severity that fails: error or warning.") var failOn: FailLevel = .error
  @OptionGroup var mesh: MeshOption
  @OptionGroup var output: OutputOptions
  @OptionGroup var comment: CommentOptions

  func validate() throws {
    guard !observed.isEmpty else {
      throw ValidationError("give the OpenLineage events to compare with: --observed FILE_OR_DIRECTORY")
    }
    if let window, Drift.duration(window) == nil {
      throw ValidationError(
        "--window '\(window)' is not a duration: write a whole number and a unit (w, d, h, m or s), as in \(Drift.durationForms)"
      )
    }
    if let until, OpenLineageImporter.seconds(since1970: until) == nil {
      throw ValidationError(
        "--until '\(until)' is not a date or date-time: write it as 2026-11-23 or 2026-11-23T12:00:00Z")
    }
  }

  func run() throws {
    let end = until.flatMap(OpenLineageImporter.seconds(since1970:))
    // The events are read while the mesh loads (they do not depend on it); a mesh that
    // cannot be read still stops the command first.
    let reading = EventReading(paths: observed, until: end)
    let model = try mesh.load()
    let (observations, eventFindings): (ObservedLineage, [Finding])
    do {
      (observations, eventFindings) = try reading.result().get()
    } catch {
      throw CLIError(error)
    }
    var loadProblems = eventFindings
    var entries: [Drift.MapEntry] = []
    if let map {
      let (e, f) = DriftMapFile.load(path: map)
      entries = e
      loadProblems += f
    }
    let loadErrors = loadProblems.loadErrors
    var findings = loadProblems
    if loadErrors.isEmpty || mesh.allowLoadErrors {
      let options = Drift.Options(window: window.flatMap(Drift.duration), until: end, map: entries)
      findings += Drift.findings(model, observed: observations, options: options)
    }
    var report = FindingsReport(findings: findings, source: model.source, failOn: failOn.severity)
    report.partial = PartialNote(model)
    try emitFindings(
      report, title: "Lineage drift", suite: "lineage drift", output: output, comment: comment,
      fallback: model.inputFiles.first)
  }
}

/// `ObservedEvents.read` on a thread of its own, started at once.
final class EventReading: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var value: Result<(ObservedLineage, [Finding]), LoadError>?

  init(paths: [String], until: Double?) {
    DispatchQueue.global().async {
      do throws(LoadError) {
        self.value = .success(try ObservedEvents.read(paths: paths, until: until))
      } catch {
        self.value = .failure(error)
      }
      self.done.signal()
    }
  }

  /// Waits for the reading to end.
  func result() -> Result<(ObservedLineage, [Finding]), LoadError> {
    done.wait()
    return value ?? .failure(LoadError(message: "the events were not read"))
  }
}
