internal import Foundation
public import LineageCore

/// One version of a mesh to compare (`lineage diff`): a mesh directory, or a git
/// revision of the repository the working-tree mesh lives in, read through git without
/// touching the working tree.
///
/// A version is read completely or not at all: a version with a load error has no
/// model, only its failures, since a half-read mesh would show its unread part as
/// removed.
public struct MeshVersion: Sendable {
  /// Why a version could not be located (its load errors are ``failures`` instead).
  public enum Unavailable: Error, Sendable {
    /// The version is not a directory, and there is no working-tree mesh whose
    /// repository could have it as a revision.
    case noWorkingMesh(String)
    /// git could not produce the revision.
    case revision(LoadError)
  }

  /// The model, when the version was read completely; nil when it has failures.
  public var model: LineageModel?
  /// The mesh root the version stands for: the directory, or for a revision the
  /// working tree's mesh root (where its ignore file is looked up).
  public var root: String
  /// The load errors of the version, or why it could not be read at all.
  public var failures: [Finding]

  /// The working-tree mesh: the directory `path` names (or the directory of the file
  /// it names), else, without a path, the nearest `mesh.yaml` upward from `cwd`.
  ///
  /// - Parameters:
  ///   - path: The mesh path given, if any.
  ///   - cwd: The directory to search upward from; defaults to the process's.
  /// - Returns: The mesh root, or nil when `path` does not exist or no mesh is found.
  public static func workingRoot(_ path: String?, cwd: String? = nil) -> String? {
    let fm = FileManager.default
    guard let path else { return ModelLoader.findMeshRoot(from: cwd ?? fm.currentDirectoryPath) }
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
    return isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
  }

  /// The version `spec` names: an existing directory, else a git revision of the
  /// repository `workingRoot` lives in (shown under the working tree's paths).
  ///
  /// - Parameters:
  ///   - spec: A mesh directory or a git revision.
  ///   - workingRoot: The working-tree mesh root (see ``workingRoot(_:cwd:)``).
  /// - Returns: The version, read completely or with its failures.
  /// - Throws: ``Unavailable`` when the version cannot be located at all.
  public static func resolve(_ spec: String, workingRoot: String?) throws(Unavailable) -> MeshVersion {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: spec, isDirectory: &isDir) {
      return load(spec, root: spec)
    }
    guard let root = workingRoot else { throw .noWorkingMesh(spec) }
    let dir: String
    do {
      dir = try GitRevision.checkout(meshRoot: root, revision: spec)
    } catch {
      throw .revision(error)
    }
    return load(dir, display: root, root: root)
  }

  /// Loads one version; its load errors (or the reason it could not be read at all)
  /// are its failures, and then it has no model.
  ///
  /// - Parameters:
  ///   - path: The mesh directory to read.
  ///   - display: How to name its files in findings (a checkout shows the working
  ///     tree's paths).
  ///   - root: The mesh root the version stands for.
  /// - Returns: The version.
  public static func load(_ path: String, display: String? = nil, root: String) -> MeshVersion {
    do {
      let model = try ModelLoader.load(path: path, display: display)
      return model.isComplete
        ? MeshVersion(model: model, root: root, failures: [])
        : MeshVersion(model: nil, root: root, failures: model.loadErrors)
    } catch {
      return MeshVersion(model: nil, root: root, failures: error.asFindings)
    }
  }
}
