import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports
import LineageSQL

struct MeshOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A mesh directory or its mesh.yaml, a dbt manifest.json, OpenLineage events (a file or a directory), an ODCS contract or ODPS product, or a graph JSON file; detected by content. Repeat to merge several (default: the nearest mesh.yaml upward).",
      valueName: "path"))
  var mesh: [String] = []

  @Option(
    help: ArgumentHelp(
      "OpenLineage: 'latest' (a job's latest completed run replaces its earlier ones) or 'cumulative' (every completed run counts).",
      valueName: "mode"))
  var history: OpenLineageImporter.History = .latest

  @Flag(help: "OpenLineage: keep jobs as nodes between their inputs and outputs.")
  var jobs = false

  @Flag(
    help:
      "Answer from the part of the input that could be read when some of it could not (a syntax error, a wrong-shaped field); the output is marked partial. Without it, any load error stops the command with exit status 2."
  )
  var allowLoadErrors = false

  @Option(
    help: ArgumentHelp(
      "The dialect of .sql inputs: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")) (a dbt manifest names its own).",
      valueName: "dialect"))
  var dialect: SQLDialect = .generic

  @Option(
    help: ArgumentHelp(
      "Keep images of loaded graph JSON inputs, and the findings of validate on mesh directories, graph JSON and OpenLineage event files, in this directory, so that later commands on the same input skip reading it (default: $LINEAGE_CACHE, else $XDG_CACHE_HOME/meshlineage, else ~/.cache/meshlineage).",
      valueName: "dir"))
  var cache: String?

  @Flag(help: "Neither read nor write the cache (graph images and kept findings).")
  var noCache = false

  var loaderOptions: ModelLoader.Options {
    var options = ModelLoader.Options(history: history, jobsAsNodes: jobs, dialect: dialect)
    options.cache = graphCache
    return options
  }

  /// The cache `--cache`, `--no-cache` and the environment choose; nil for none.
  var graphCache: GraphCache? {
    guard !noCache, let directory = Self.cacheDirectory(option: cache) else { return nil }
    var cache = GraphCache(directory: directory, toolIdentity: Self.toolIdentity)
    // The image is written while the command answers; the process waits for it at
    // exit, whichever way it exits (Lineage.main registers the wait).
    cache.writesInBackground = true
    return cache
  }

  /// Where `validate` keeps its findings (the graph cache's directory); nil for none.
  var findingsCache: FindingsCache? {
    graphCache.map { FindingsCache(directory: $0.directory, toolIdentity: $0.toolIdentity) }
  }

  /// The loader's options that can change what is read, for keys of kept answers.
  var loaderKey: String { "history=\(history) jobs=\(jobs) dialect=\(dialect.rawValue)" }

  /// The cache directory: the option, else `LINEAGE_CACHE`, else `meshlineage` under
  /// `XDG_CACHE_HOME` or `~/.cache`; nil when none can be named.
  static func cacheDirectory(option: String?) -> String? {
    if let option, !option.isEmpty { return option }
    let env = ProcessInfo.processInfo.environment
    if let dir = env["LINEAGE_CACHE"], !dir.isEmpty { return dir }
    if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/meshlineage" }
    if let home = env["HOME"], home.hasPrefix("/") { return home + "/.cache/meshlineage" }
    return nil
  }

  /// The version, and the size and modification time of the executable: another
  /// build of the tool reads none of this one's images.
  static let toolIdentity: String = {
    var identity = "lineage \(Lineage.configuration.version)"
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let path = FileManager.default.fileExists(atPath: exe) ? exe : CommandLine.arguments[0]
    if let a = try? FileManager.default.attributesOfItem(atPath: path) {
      let size = (a[.size] as? NSNumber)?.int64Value ?? 0
      let time = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      identity += " \(path) \(size) \(time)"
    }
    return identity
  }()

  /// Loads the model. A load error (input that could not be read completely) stops
  /// the command with exit status 2 unless `--allow-load-errors` is given; then the
  /// load errors are printed as warnings and the model is returned, to be answered
  /// from as a partial input. Error findings that are not load errors are noted on
  /// standard error (``Output/loadProblems(_:)``).
  func load() throws(CLIError) -> LineageModel {
    let model = try loadForFindings()
    if !model.isComplete {
      guard allowLoadErrors else { throw CLIError.incomplete(model) }
      let errors = model.loadErrors
      Output.printFindings(errors, limit: 20)
      Output.warning(
        "the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); answering from the part that was read, as --allow-load-errors asks: the output is marked partial"
      )
    }
    Output.loadProblems(model)
    return model
  }

  /// Loads the model for `validate`, which lists load errors with every other finding.
  func loadForFindings() throws(CLIError) -> LineageModel {
    do {
      return CommandLineWording.reword(try ModelLoader.load(paths: mesh, options: loaderOptions))
    } catch {
      throw CLIError(error)
    }
  }
}
