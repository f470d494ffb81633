import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The PostgreSQL store's faults as a deployment meets them: the database restarted
/// under an ingest, and the database down for longer than a request may wait. In the
/// serialized server suite, because they restart the database its other tests use.
extension ServerTests {
  /// The local cluster serving `url`'s port, and how to run `pg_ctlcluster` on it
  /// (directly as root, else through `sudo -n`); nil when there is none.
  static func cluster(of url: String) throws -> (version: String, name: String, prefix: [String])? {
    let port = URLComponents(string: url)?.port ?? 5432
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_lsclusters") else { return nil }
    let list = try CLI.run(["-h"], executable: "/usr/bin/pg_lsclusters")
    for line in list.stdout.split(separator: "\n") {
      let f = line.split(separator: " ", omittingEmptySubsequences: true)
      if f.count > 2, f[2] == "\(port)" {
        return (String(f[0]), String(f[1]), getuid() == 0 ? [] : ["/usr/bin/sudo", "-n"])
      }
    }
    return nil
  }

  /// Runs `pg_ctlcluster VERSION NAME action` and waits for it. Not with `Process`:
  /// Foundation learns of a child's end from a socket the child inherits, and the
  /// postmaster a restart starts would keep it (and the wait) open for good; here the
  /// child inherits nothing past standard input, output and error (all /dev/null).
  static func control(_ cluster: (version: String, name: String, prefix: [String]), _ action: String) throws -> Int32 {
    let argv = cluster.prefix + ["/usr/bin/pg_ctlcluster", cluster.version, cluster.name, action]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // glibc's posix_spawn_file_actions_addclosefrom_np (2.34), which Swift does not import.
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
      throw ServerError(message: "this C library cannot close a child's inherited files (glibc 2.34 or later)")
    }
    _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
    guard spawned == 0 else { throw ServerError(message: "cannot run \(argv[0]): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED and WEXITSTATUS, which Swift does not import.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }

  /// One event of its own job and run, at second `i` of 2024.
  static func restartEvent(_ i: Int) -> Data {
    let time = String(format: "2024-01-01T%02d:%02d:%02dZ", i / 3600, i / 60 % 60, i % 60)
    return Data(
      #"{"eventTime":"\#(time)","eventType":"COMPLETE","run":{"runId":"restart-\#(i)"},"job":{"namespace":"restart","name":"job-\#(i)"},"outputs":[{"namespace":"restart","name":"out-\#(i)"}],"producer":"test","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"}"#
        .utf8)
  }

  /// Posts one event; its status (0 when no answer came within 20 s: a hung request
  /// fails the test instead of hanging it) and how long the answer took.
  static func post(_ port: Int, _ body: Data) async -> (status: Int, seconds: Double) {
    let start = Date()
    let answer = try? await LoopbackHTTP.fetch(
      port: port, method: "POST", path: "/api/v1/lineage", body: body, headers: ["Content-Type": "application/json"],
      timeout: 20)
    return (answer?.status ?? 0, Date().timeIntervalSince(start))
  }

  static func storedCount(_ url: String) throws -> Int? {
    Int(
      try CLI.run([url, "-tAc", "SELECT count(*) FROM events"], executable: "/usr/bin/psql").stdout.trimmingCharacters(
        in: .whitespacesAndNewlines))
  }

  @Test(.enabled(if: hasPostgres, "no PostgreSQL: set LINEAGE_TEST_POSTGRES (.ci/run starts one)"))
  func aPostgreSQLRestartIsSurvivedByReconnecting() async throws {
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    let url = try #require(Self.postgres, "LINEAGE_TEST_POSTGRES is not set")
    let cluster = try #require(try Self.cluster(of: url), "no local cluster serves \(url) (pg_lsclusters)")
    let psql = try CLI.run([url, "-qc", "DROP TABLE IF EXISTS events, lineage_schema"], executable: "/usr/bin/psql")
    #expect(psql.status == 0, "\(psql.stderr)")
    let server = try Server(store: url)
    // Whatever happens below, the database is up again for the tests after this one.
    defer { _ = try? Self.control(cluster, "start") }

    // Producers post throughout a restart: each gets an answer (201, or 503 if its
    // commit was cut), none waits past the store's deadline, and the ingest goes on.
    let restarted = ManagedFlag()
    let port = server.port
    let poster = Task { () -> [(index: Int, status: Int, seconds: Double, afterRestart: Bool)] in
      var out: [(Int, Int, Double, Bool)] = []
      var afterRestart = 0
      var i = 0
      while afterRestart < 10 && i < 2_000 {
        let done = restarted.value
        let (status, seconds) = await Self.post(port, Self.restartEvent(i))
        out.append((i, status, seconds, done))
        if done && status == 201 { afterRestart += 1 }
        i += 1
        try? await Task.sleep(for: .milliseconds(40))
      }
      return out
    }
    try await Task.sleep(for: .milliseconds(400))
    #expect(try Self.control(cluster, "restart") == 0, "pg_ctlcluster restart failed")
    restarted.value = true
    let posts = await poster.value
    #expect(posts.allSatisfy { $0.status == 201 || $0.status == 503 }, "\(posts.filter { $0.status != 201 })")
    #expect(
      posts.allSatisfy { $0.seconds < 7 }, "an answer waited past the deadline: \(posts.map(\.seconds).max() ?? 0) s")
    #expect(posts.filter(\.afterRestart).contains { $0.status == 201 }, "no event was taken after the restart")

    // A restart while the server is idle leaves its pooled connections dead: the next
    // events find them so and are written on new ones, not answered 503.
    #expect(try Self.control(cluster, "restart") == 0, "pg_ctlcluster restart failed")
    var next = posts.count
    for _ in 0..<4 {
      let p = await Self.post(port, Self.restartEvent(next))
      #expect(p.status == 201, "an event after an idle restart: \(p.status)")
      next += 1
    }

    // The database down for longer than a request may wait: 503 (the Python client
    // retries it), not a hung request.
    #expect(try Self.control(cluster, "stop") == 0, "pg_ctlcluster stop failed")
    let down = await Self.post(port, Self.restartEvent(next))
    #expect(down.status == 503, "an event while the database is down: \(down.status)")
    #expect(down.seconds > 4 && down.seconds < 8, "the 503 came after \(down.seconds) s, not at the 5 s deadline")
    // Down for less: the request waits for the database and is taken.
    let event = Self.restartEvent(next + 1)
    let waiting = Task { [port, event] in await Self.post(port, event) }
    try await Task.sleep(for: .milliseconds(800))
    #expect(try Self.control(cluster, "start") == 0, "pg_ctlcluster start failed")
    let waited = await waiting.value
    #expect(waited.status == 201, "an event posted while the database was starting: \(waited.status)")
    #expect(waited.seconds > 0.5, "the event was answered before the database was back")
    // The one refused is taken once the database is back.
    #expect(await Self.post(port, Self.restartEvent(next)).status == 201)

    // A 503 may follow a commit that happened: the client's retry finds the event stored,
    // and the server's graph must have it too. Every event is retried until taken.
    for p in posts where p.status != 201 {
      #expect(await Self.post(server.port, Self.restartEvent(p.index)).status == 201)
    }
    let total = next + 2
    #expect(try Self.storedCount(url) == total)
    let health = try await Self.request(server.port, "GET", "/healthz")
    #expect(health.body.contains("\"events\":\(total)"), "\(health.body)")
    let datasets = try await Self.request(server.port, "GET", "/api/v1/namespaces/restart/datasets")
    for i in 0..<total {
      #expect(datasets.body.contains("\"out-\(i)\""), "out-\(i) is not in the server's graph")
    }
    #expect(server.stop() == 0)
  }
}

/// A flag one task sets and another reads.
final class ManagedFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var set = false
  var value: Bool {
    get { lock.withLock { set } }
    set { lock.withLock { set = newValue } }
  }
}
