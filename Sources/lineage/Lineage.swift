import ArgumentParser
import Foundation
import LineageLoaders

@main
struct Lineage: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lineage",
    abstract: "See and govern how the data products of a data mesh depend on each other.",
    discussion: """
      Reads a mesh spec directory (mesh.yaml at its root, found upward from the current \
      directory like git finds .git), or what --mesh names: a mesh directory, a dbt \
      manifest.json, OpenLineage events, ODCS contracts and ODPS products, or graph JSON. \
      Several --mesh inputs are merged, each node and edge keeping its provenance.

      Selectors follow dbt: +X (X and its upstream), X+ (downstream), 2+X+1 (depth limits), \
      @X, methods domain: owner: tag: kind: status: id: (over dbt manifests also source: \
      exposure: metric: semantic_model: saved_query: fqn: path: package: resource_type:), \
      wildcards (sales.*), space for union, comma for intersection. An argument that is \
      exactly a node id selects that node.

      Exit status: 0 clean, 1 findings at or above the failing severity (cycles are errors), \
      2 usage or input error.
      """,
    version: "0.1.0",
    subcommands: [
      Validate.self, Upstream.self, Downstream.self, Select.self, Cycles.self, Stats.self, Impact.self, Diff.self,
      Owners.self, RenderCommand.self, Import.self, SQLCommand.self, Serve.self, DriftCommand.self,
    ]
  )

  /// The one place that prints an error and chooses the exit status.
  static func main() async {
    // A closed pipe (`lineage ... | head`) ends the output quietly instead of killing
    // the process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    // A write past the file-size limit (`ulimit -f`, `prlimit --fsize`) fails with
    // EFBIG, reported like a full disk (the server answers 503, a command names the
    // file), instead of killing the process with SIGXFSZ.
    signal(SIGXFSZ, SIG_IGN)
    // Graph images are written while the command answers (GraphCache.writesInBackground):
    // the process waits for them however it exits.
    atexit { GraphCache.finishWrites() }
    if let typo = CommandTypo.message(for: Array(CommandLine.arguments.dropFirst())) {
      Output.usage(typo)
      Foundation.exit(CLIError.Status.input.rawValue)
    }
    do {
      var command = try parseAsRoot()
      if var server = command as? any AsyncParsableCommand {
        try await server.run()
      } else {
        try command.run()
      }
    } catch let error as CLIError {
      Output.report(error)
      Foundation.exit(error.status.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success || error is ExitCode { exit(withError: error) }
      // Usage errors: argument-parser's message, exit status 2 as documented.
      Output.usage(fullMessage(for: error))
      Foundation.exit(CLIError.Status.input.rawValue)
    }
  }
}
