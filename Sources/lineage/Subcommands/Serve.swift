import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageSQL
import LineageServer

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the lineage server: take OpenLineage events over HTTP, keep them, answer queries.",
    discussion: """
      Producers send events as they send them to Marquez: point OPENLINEAGE_URL at \
      http://HOST:PORT (POST /api/v1/lineage, one event or an array; \
      POST /api/v1/lineage/batch). Events are kept in the store (one SQLite file, WAL) \
      and replayed on start. Queries answer with the command line's JSON: \
      GET /api/mesh/upstream?selector=S&depth=N, /api/mesh/downstream, /api/mesh/select, \
      /api/mesh/drift?window=D&until=T (declared --mesh inputs against the events), \
      each with asOf=TIME; GET /healthz. API keys (from --api-keys FILE, one a line, or \
      LINEAGE_API_KEYS, comma-separated) make every request but /healthz need \
      'Authorization: Bearer KEY'. Stops cleanly on SIGTERM or SIGINT.

      What a deployment sets once can live in a YAML file given with --config (keys       store, host, port, body-limit, api-keys, history, jobs, mesh, dialect, drift-map; relative       paths are relative to the file); options on the command line win over it.

      Examples (from the repository's root):
        lineage serve --store sqlite:lineage.db
        lineage serve --port 0 --store sqlite:/tmp/lineage.db
        lineage serve --config samples/server/lineage-server.yaml --port 0
      """)

  @Option(
    help: ArgumentHelp(
      "A YAML file of the options below (store, host, port, body-limit, api-keys, history, jobs, mesh, dialect, drift-map).",
      valueName: "file"))
  var config: String?

  @Option(
    help: ArgumentHelp(
      "Where events are kept: sqlite:PATH, or postgres://USER:PASSWORD@HOST:PORT/DATABASE (the password may come from PGPASSWORD instead). Default: sqlite:lineage.db.",
      valueName: "store"))
  var store: String?
  @Option(help: "The address to bind. Default: 127.0.0.1.") var host: String?
  @Option(help: "The port (0 picks a free one and prints it). Default: 5000.") var port: Int?
  @Option(
    help: ArgumentHelp("The largest request body taken, in MiB, after decompression. Default: 32.", valueName: "MiB"))
  var bodyLimit: Int?
  @Option(help: ArgumentHelp("A file of API keys, one a line.", valueName: "file")) var apiKeys: String?
  @Option(
    help: ArgumentHelp(
      "OpenLineage: 'latest' (a job's latest completed run replaces its earlier ones, the default) or 'cumulative'.",
      valueName: "mode"))
  var history: OpenLineageImporter.History?
  @Flag(help: "OpenLineage: keep jobs as nodes between their inputs and outputs.") var jobs = false
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Declared lineage served beside the events: a mesh directory, dbt manifest, contracts or graph JSON (repeat to merge); read again when its files change.",
      valueName: "path"))
  var mesh: [String] = []
  @Option(help: ArgumentHelp("The dialect of .sql inputs of --mesh. Default: generic.", valueName: "dialect"))
  var dialect: SQLDialect?
  @Option(
    help: ArgumentHelp(
      "The map file GET /api/mesh/drift matches observed datasets with, as lineage drift's --map.", valueName: "file"))
  var driftMap: String?

  func run() async throws {
    var file = ServerConfig()
    if let config {
      let (read, findings) = ServerConfig.load(path: config, display: config)
      guard findings.isEmpty else {
        throw CLIError(
          findings: findings, message: "the configuration \(config) could not be read exactly; the server did not start"
        )
      }
      file = read
    }
    // The command line, then the file, then the defaults.
    let store = self.store ?? file.store ?? "sqlite:lineage.db"
    let host = self.host ?? file.host ?? "127.0.0.1"
    let port = self.port ?? file.port ?? 5000
    let bodyLimit = self.bodyLimit ?? file.bodyLimitMiB ?? 32
    let history = self.history ?? file.history ?? .latest
    let jobs = self.jobs || (file.jobs ?? false)
    let mesh = self.mesh.isEmpty ? file.mesh ?? [] : self.mesh
    let dialect = self.dialect ?? file.dialect ?? .generic
    guard
      (store.hasPrefix("sqlite:") && store.count > "sqlite:".count) || store.hasPrefix("postgres://")
        || store.hasPrefix("postgresql://")
    else {
      throw CLIError("--store takes sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    }
    guard (0...65535).contains(port) else { throw CLIError("--port must be between 0 and 65535") }
    guard bodyLimit > 0, bodyLimit <= 1024 else { throw CLIError("--body-limit must be between 1 and 1024 MiB") }
    var options = LineageServer.Options()
    options.host = host
    options.port = port
    options.bodyLimit = bodyLimit << 20
    options.apiKeys = try keys(file: apiKeys ?? file.apiKeys)
    options.driftMap = driftMap ?? file.driftMap
    let declared = try declaredInputs(mesh, ModelLoader.Options(history: history, jobsAsNodes: jobs, dialect: dialect))
    let eventStore: any EventStore
    let state: LineageState
    do {
      if store.hasPrefix("sqlite:") {
        eventStore = try SQLiteEventStore(path: String(store.dropFirst("sqlite:".count)))
      } else {
        eventStore = try await PostgresEventStore(url: store)
      }
      state = try await LineageState(
        store: eventStore, importer: OpenLineageImporter(history: history, jobsAsNodes: jobs), declared: declared)
    } catch {
      throw CLIError(error.message)
    }
    let count = await state.eventCount
    // The store as the listening line names it: a PostgreSQL URL without its password.
    let shown = store.replacingOccurrences(of: #":[^:@/]*@"#, with: "@", options: .regularExpression)
    try await LineageServer.run(options: options, state: state) { bound in
      // Unbuffered, so that a supervisor or test reading the port sees it at once (a
      // failed write is dropped: `write(_:)` would trap).
      try? FileHandle.standardOutput.write(
        contentsOf: Data("lineage: listening on http://\(host):\(bound) (\(count) events in \(shown))\n".utf8))
    }
    // Shut down gracefully (the requests in flight answered): the store closes cleanly.
    await eventStore.close()
  }

  /// The `--mesh` inputs, read completely (a load error stops the server from starting,
  /// as it stops every other command), with how to read them again.
  func declaredInputs(_ paths: [String], _ options: ModelLoader.Options) throws(CLIError) -> LineageState.Declared? {
    guard !paths.isEmpty else { return nil }
    let model: LineageModel
    do {
      model = try ModelLoader.load(paths: paths, options: options)
    } catch {
      throw CLIError(error)
    }
    guard model.isComplete else { throw CLIError.incomplete(model, allowHint: false) }
    return LineageState.Declared(model: model) {
      guard let again = try? ModelLoader.load(paths: paths, options: options), again.isComplete else { return nil }
      return again
    }
  }

  /// The API keys: the file's lines, or LINEAGE_API_KEYS's comma-separated values.
  func keys(file apiKeys: String?) throws(CLIError) -> [String] {
    let text: String
    if let apiKeys {
      guard let data = FileManager.default.contents(atPath: apiKeys) else {
        throw CLIError("--api-keys \(apiKeys): cannot read the file")
      }
      text = String(decoding: data, as: UTF8.self)
    } else {
      text = (ProcessInfo.processInfo.environment["LINEAGE_API_KEYS"] ?? "").replacingOccurrences(of: ",", with: "\n")
    }
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
  }
}
