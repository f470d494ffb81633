import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageSQL
import LineageServer

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the lineage server: take OpenLineage events over HTTP, keep them, answer queries.",
    discussion: """
      Producers send events as they send them to Marquez: point OPENLINEAGE_URL at \
      http://HOST:PORT (POST /api/v1/lineage, one event or an array; \
      POST /api/v1/lineage/batch). Events are kept in the store (one SQLite file, WAL) \
      and replayed on start. Queries answer with the command line's JSON: \
      GET /api/mesh/upstream?selector=S&depth=N, /api/mesh/downstream, /api/mesh/select, \
      each with asOf=TIME; GET /healthz. API keys (from --api-keys FILE, one a line, or \
      LINEAGE_API_KEYS, comma-separated) make every request but /healthz need \
      'Authorization: Bearer KEY'. Stops cleanly on SIGTERM or SIGINT.

      Examples (from the repository's root):
        lineage serve --store sqlite:lineage.db
        lineage serve --port 0 --store sqlite:/tmp/lineage.db
      """)

  @Option(
    help: ArgumentHelp(
      "Where events are kept: sqlite:PATH, or postgres://USER:PASSWORD@HOST:PORT/DATABASE (the password may come from PGPASSWORD instead).",
      valueName: "store"))
  var store = "sqlite:lineage.db"
  @Option(help: "The address to bind.") var host = "127.0.0.1"
  @Option(help: "The port (0 picks a free one and prints it).") var port = 5000
  @Option(help: ArgumentHelp("The largest request body taken, in MiB, after decompression.", valueName: "MiB"))
  var bodyLimit = 32
  @Option(help: ArgumentHelp("A file of API keys, one a line.", valueName: "file")) var apiKeys: String?
  @Option(
    help: ArgumentHelp(
      "OpenLineage: 'latest' (a job's latest completed run replaces its earlier ones) or 'cumulative'.",
      valueName: "mode"))
  var history: OpenLineageImporter.History = .latest
  @Flag(help: "OpenLineage: keep jobs as nodes between their inputs and outputs.") var jobs = false
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Declared lineage served beside the events: a mesh directory, dbt manifest, contracts or graph JSON (repeat to merge); read again when its files change.",
      valueName: "path"))
  var mesh: [String] = []
  @Option(help: ArgumentHelp("The dialect of .sql inputs of --mesh.", valueName: "dialect"))
  var dialect: SQLDialect = .generic

  func run() async throws {
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
    options.apiKeys = try keys()
    let declared = try declaredInputs()
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
    let host = self.host
    // The store as the listening line names it: a PostgreSQL URL without its password.
    let store = self.store.replacingOccurrences(of: #":[^:@/]*@"#, with: "@", options: .regularExpression)
    try await LineageServer.run(options: options, state: state) { bound in
      // Unbuffered, so that a supervisor or test reading the port sees it at once.
      FileHandle.standardOutput.write(
        Data("lineage: listening on http://\(host):\(bound) (\(count) events in \(store))\n".utf8))
    }
  }

  /// The `--mesh` inputs, read completely (a load error stops the server from starting,
  /// as it stops every other command), with how to read them again.
  func declaredInputs() throws(CLIError) -> LineageState.Declared? {
    guard !mesh.isEmpty else { return nil }
    let paths = mesh
    let options = ModelLoader.Options(history: history, jobsAsNodes: jobs, dialect: dialect)
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
  func keys() throws(CLIError) -> [String] {
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
