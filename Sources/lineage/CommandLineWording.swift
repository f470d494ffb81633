import LineageCore
import LineageExplorer
import LineageLoaders
import LineageRender

/// The libraries phrase their hints and notes without any front end's syntax; these
/// are the command line's own words for them, naming its options, so that its output
/// tells a user which flag to give.
enum CommandLineWording {
  /// Where a node list's left-out edges are, after "... N more;".
  static let moreEdges = "--format json lists them all"

  /// Finding hints whose library wording the command line replaces with its own.
  static let hints: [String: String] = [
    BitolImporter.missingContractHint: BitolImporter.missingContractHint + " (--mesh CONTRACT.yaml)",
    OpenLineageImporter.keepColumnLineageHint: "read the events without --jobs to keep column lineage",
  ]

  /// The findings with the command line's hints.
  ///
  /// - Parameter findings: Findings as a library made them.
  /// - Returns: The same findings, a hint of ``hints`` replaced.
  static func reword(_ findings: [Finding]) -> [Finding] {
    findings.map { f in
      guard let hint = f.hint, let own = hints[hint] else { return f }
      var f = f
      f.hint = own
      return f
    }
  }

  /// The model with the command line's hints in its findings.
  ///
  /// - Parameter model: A model as a loader made it.
  /// - Returns: The same model, its findings reworded.
  static func reword(_ model: LineageModel) -> LineageModel {
    var model = model
    model.findings = reword(model.findings)
    model.loadFindings = reword(model.loadFindings)
    return model
  }
}

extension ViewRequest.Wording {
  /// The command line's flags for narrowing a view and forcing an engine.
  static let commandLine = ViewRequest.Wording(
    narrowColumnView: "narrow it with --focus",
    narrowProductView: "use --focus X --upstream N --downstream N to see products",
    engineChosen: "chosen with --engine",
    showChecks: "show them with --tests")
}

extension ExplorerOptions.Wording {
  /// How to see more than an exported page holds, in the command line's words.
  static let commandLine = ExplorerOptions.Wording(
    seeMore:
      "to see more, run lineage serve --mesh PATH, or export again with --focus X --upstream N --downstream N",
    view: .commandLine)
}

extension LoadError {
  /// The error with the command line's hint when its reason has one (`--mesh`).
  var commandLine: LoadError {
    var error = self
    switch reason {
    case .noMeshFound?:
      error.hint =
        "run lineage inside a mesh directory, or pass --mesh PATH (a mesh directory, dbt manifest.json, OpenLineage events, ODCS/ODPS files, or graph JSON)"
    case .noSuchInput?:
      error.hint =
        "--mesh takes a mesh directory (with mesh.yaml), a dbt manifest.json, OpenLineage events (a file or a directory), ODCS/ODPS YAML files, or a graph JSON file"
    case nil: break
    }
    return error
  }
}

extension CLIError {
  /// A load error, its hint in the command line's words: its description is the message.
  init(_ error: LoadError, status: Status = .input) {
    let error = error.commandLine
    self.init(error.description, status: status, location: error.location)
  }
}
