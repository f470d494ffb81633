internal import Foundation
public import LineageCore
public import LineageSQL
internal import Yams

/// What a `lineage serve` deployment sets once, read from a YAML file; the command
/// line's options win over it.
///
/// ```yaml
/// store: sqlite:/var/lib/lineage/events.db
/// host: 0.0.0.0
/// port: 5000
/// body-limit: 64          # MiB
/// api-keys: keys.txt      # a file of keys, one a line
/// history: latest         # or cumulative
/// jobs: false
/// mesh: [mesh/, target/manifest.json]
/// dialect: snowflake
/// drift-map: drift-map.yaml  # observed datasets -> declared nodes, for drift
/// ```
///
/// Relative paths (`sqlite:PATH`, `api-keys`, `mesh`, `drift-map`) are relative to the file's
/// directory, so the file can sit beside what it names.
public struct ServerConfig: Sendable, Equatable {
  /// `sqlite:PATH` or a `postgres://` URL.
  public var store: String?
  /// The address to bind.
  public var host: String?
  /// The port; 0 picks a free one.
  public var port: Int?
  /// The largest request body taken, in MiB.
  public var bodyLimitMiB: Int?
  /// The file of API keys.
  public var apiKeys: String?
  /// How OpenLineage runs of a job combine.
  public var history: OpenLineageImporter.History?
  /// Whether jobs are nodes between their inputs and outputs.
  public var jobs: Bool?
  /// Declared inputs served beside the events.
  public var mesh: [String]?
  /// The dialect of `.sql` inputs of `mesh`.
  public var dialect: SQLDialect?
  /// The map file drift matches observed datasets with (see ``DriftMapFile``).
  public var driftMap: String?

  /// An empty configuration: every option at the command line's value or default.
  public init() {}

  /// The keys a configuration file may hold.
  public static let keys = [
    "store", "host", "port", "body-limit", "api-keys", "history", "jobs", "mesh", "dialect", "drift-map",
  ]

  /// Reads a configuration file.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - display: How findings name it.
  /// - Returns: The configuration and the problems found (a missing or unreadable file,
  ///   YAML errors, unknown keys, values of the wrong type): each located, and each
  ///   meant to stop the server from starting, since a deployment's settings must be
  ///   exactly what was written.
  public static func load(path: String, display: String) -> (ServerConfig, [Finding]) {
    var config = ServerConfig()
    let diag = FileDiagnostics(file: display)
    guard FileManager.default.fileExists(atPath: path) else {
      diag.report("read-error", .error, "no such file", at: nil, hint: "check the path of the configuration file")
      return (config, diag.findings)
    }
    guard let f = MeshSpecLoader.readFields(path, context: "the server configuration", diag: diag) else {
      return (config, diag.findings)
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
    func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base + "/" + p }
    if let store = f.string("store") {
      config.store = store.hasPrefix("sqlite:") ? "sqlite:" + resolve(String(store.dropFirst("sqlite:".count))) : store
    }
    config.host = f.string("host")
    config.port = integer(f, "port", in: 0...65535)
    config.bodyLimitMiB = integer(f, "body-limit", in: 1...1024)
    config.apiKeys = f.string("api-keys").map(resolve)
    config.history = f.choice("history", OpenLineageImporter.History.self)
    config.jobs = f.bool("jobs")
    if let items = f.sequence("mesh") {
      config.mesh = items.compactMap { f.text($0, key: "mesh") }.map(resolve)
    }
    config.dialect = f.choice("dialect", SQLDialect.self)
    config.driftMap = f.string("drift-map").map(resolve)
    f.finish(allowed: keys)
    return (config, diag.findings)
  }

  /// A whole number in `range`, or nil (reported) when the value is another thing.
  static func integer(_ f: Fields, _ key: String, in range: ClosedRange<Int>) -> Int? {
    guard let d = f.number(key) else { return nil }
    guard d == d.rounded(), let n = Int(exactly: d), range.contains(n) else {
      f.diag.report(
        "invalid-value", .error,
        "field '\(key)' of the server configuration must be a whole number from \(range.lowerBound) to \(range.upperBound)",
        at: f.value(key))
      return nil
    }
    return n
  }
}
