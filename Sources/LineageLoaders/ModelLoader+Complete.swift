internal import Foundation
public import LineageCore

extension ModelLoader {
  /// Loads the model for `path`, or for the mesh found upward from `cwd` when nil.
  ///
  /// The model keeps every finding of loading it, load errors included (a file with a
  /// syntax error, a wrong-shaped field): check ``LineageModel/isComplete`` before
  /// answering from it, or use ``loadComplete(paths:cwd:options:)``.
  ///
  /// - Parameters:
  ///   - path: A mesh directory or its `mesh.yaml`, a dbt manifest (or dbt's `target/`
  ///     directory), OpenLineage events (a file or a directory), ODCS/ODPS files, or a
  ///     graph JSON file; detected by content.
  ///   - cwd: The directory to search upward from; defaults to the process's.
  ///   - display: How to name a mesh directory's files in findings (a git checkout in a
  ///     temporary directory is shown under the working tree's path).
  ///   - options: How importers read their inputs.
  /// - Returns: The model, with ``LineageModel/inputFiles`` naming the files read.
  /// - Throws: ``LoadError`` when nothing loadable is found or the input cannot be
  ///   read at all.
  public static func load(
    path: String?, cwd: String? = nil, display: String? = nil,
    options: Options = Options()
  ) throws(LoadError) -> LineageModel {
    var model = try loadInput(path: path, cwd: cwd, display: display, options: options)
    if model.inputFiles.isEmpty { model.inputFiles = primaryFiles(path: path, cwd: cwd, display: display) }
    return model
  }

  /// Loads the inputs as ``load(paths:cwd:options:)`` does, and refuses a model that
  /// was read only in part.
  ///
  /// - Parameters:
  ///   - paths: The inputs, merged when there are several; none means the nearest
  ///     mesh upward from `cwd`.
  ///   - cwd: The directory to search upward from.
  ///   - options: How importers read their inputs.
  /// - Returns: A model with no load errors (it may have findings).
  /// - Throws: ``LoadError`` when the input cannot be read at all, or, with the load
  ///   errors in ``LoadError/findings``, when part of it could not be read.
  public static func loadComplete(
    paths: [String], cwd: String? = nil,
    options: Options = Options()
  ) throws(LoadError) -> LineageModel {
    let model = try load(paths: paths, cwd: cwd, options: options)
    try requireComplete(model)
    return model
  }

  /// Throws when the model has load errors: the input was not read completely.
  ///
  /// - Parameter model: A loaded model.
  /// - Throws: ``LoadError`` carrying the load errors in ``LoadError/findings``.
  public static func requireComplete(_ model: LineageModel) throws(LoadError) {
    let errors = model.loadErrors
    guard !errors.isEmpty else { return }
    let n = errors.count
    throw LoadError(
      message:
        "the \(model.source) could not be read completely (\(n) load error\(n == 1 ? "" : "s")); nothing was answered from it",
      hint: "fix the input; 'lineage validate' lists every load error and finding",
      findings: errors)
  }

  /// The file a finding about the input as a whole is reported at: a mesh
  /// directory's `mesh.yaml`, the manifest of dbt's `target/`, the first file of a
  /// directory of events or contracts, or the file itself.
  static func primaryFiles(path: String?, cwd: String?, display: String?) -> [String] {
    let fm = FileManager.default
    guard var path else {
      let cwd = cwd ?? fm.currentDirectoryPath
      guard let root = findMeshRoot(from: cwd) else { return [] }
      let shown = relativePath(from: cwd, to: root)
      return [shown.isEmpty ? "mesh.yaml" : shown + "/mesh.yaml"]
    }
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
    let shown = display ?? path
    for name in ["mesh.yaml", "mesh.yml"] where fm.fileExists(atPath: path + "/" + name) {
      return [shown == "." ? name : shown + "/" + name]
    }
    if fm.fileExists(atPath: path + "/manifest.json") { return [path + "/manifest.json"] }
    if let first = BitolImporter.files(at: path).first { return [first] }
    if let first = OpenLineageImporter.files(at: path).first { return [first] }
    return [path]
  }
}

extension LoadError {
  /// The error as findings: the load errors it carries, or one `load-error` finding
  /// for an input that could not be read at all.
  public var asFindings: [Finding] {
    if !findings.isEmpty { return findings }
    return [Finding(rule: "load-error", severity: .error, message: message, location: location, hint: hint)]
  }
}
