import Foundation
import LineageCore
import LineageSQL
import Testing

@testable import LineageLoaders

/// The `lineage serve --config` file: every key read with its type, relative paths
/// taken from the file's directory, and every problem located, so that a deployment
/// never starts on settings other than those written.
@Suite struct ServerConfigTests {
  func load(_ yaml: String) throws -> (ServerConfig, [Finding], dir: String) {
    let dir = NSTemporaryDirectory() + "lineage-server-config-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try yaml.write(toFile: dir + "/server.yaml", atomically: true, encoding: .utf8)
    let (config, findings) = ServerConfig.load(path: dir + "/server.yaml", display: "server.yaml")
    return (config, findings, dir)
  }

  @Test func everyKeyIsReadAndRelativePathsFollowTheFile() throws {
    let (config, findings, dir) = try load(
      """
      store: sqlite:data/events.db
      host: 0.0.0.0
      port: 8080
      body-limit: 64
      api-keys: keys.txt
      history: cumulative
      jobs: true
      mesh: [mesh/, /abs/manifest.json]
      dialect: snowflake
      """)
    #expect(findings.isEmpty, "\(findings)")
    #expect(config.store == "sqlite:" + dir + "/data/events.db")
    #expect(config.host == "0.0.0.0" && config.port == 8080 && config.bodyLimitMiB == 64)
    #expect(config.apiKeys == dir + "/keys.txt")
    #expect(config.history == .cumulative && config.jobs == true && config.dialect == .snowflake)
    #expect(config.mesh == [dir + "/mesh/", "/abs/manifest.json"])
    let pg = try load("store: postgres://lineage@db:5432/lineage\n").0
    #expect(pg.store == "postgres://lineage@db:5432/lineage")
  }

  @Test func eachProblemIsLocatedAndNamed() throws {
    let (config, findings, _) = try load("prot: 5000\nport: abc\nbody-limit: 2000\nhistory: lates\njobs: maybe\n")
    #expect(config == ServerConfig())
    let seen = findings.map { "\($0.location?.line ?? 0):\($0.rule.rawValue)" }
    #expect(seen == ["2:invalid-type", "3:invalid-value", "4:invalid-value", "5:invalid-type", "1:unknown-field"])
    #expect(findings.last?.hint == "did you mean 'port'?")
    #expect(findings.allSatisfy { $0.location?.file == "server.yaml" })
    let syntax = try load("store: [\n").1
    #expect(syntax.map(\.rule.rawValue) == ["yaml-syntax"])
    let scalar = try load("just text\n").1
    #expect(scalar.map(\.rule.rawValue) == ["invalid-type"])
    let missing = ServerConfig.load(path: "/nonexistent/server.yaml", display: "server.yaml").1
    #expect(missing.map(\.rule.rawValue) == ["read-error"])
  }
}
