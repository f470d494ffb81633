internal import Dispatch
internal import Foundation
internal import Logging
internal import NIOConcurrencyHelpers
internal import NIOCore
internal import PostgresNIO

/// The events in a PostgreSQL database, through postgres-nio, for teams that outgrow
/// one machine. The same contract as ``SQLiteEventStore``: each append is one
/// transaction, committed before it returns; a byte-identical event is stored once
/// (concurrent appends of the same event are serialised by a transaction-scoped
/// advisory lock on its hash); schema versions are migrations applied on open.
public final class PostgresEventStore: EventStore {
  let client: PostgresClient
  let logger = Logger(label: "lineage.store", factory: { StreamLogHandler.standardError(label: $0) })
  let runner: Task<Void, Never>

  /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`), starts the
  /// connection pool and migrates the schema.
  ///
  /// - Parameter url: The database's URL; the password may also come from `PGPASSWORD`.
  /// - Throws: ``StoreError`` when the URL is not one or the database cannot be reached.
  public init(url: String) async throws(StoreError) {
    guard let u = URLComponents(string: url), u.scheme == "postgres" || u.scheme == "postgresql",
      let host = u.host, let user = u.user
    else {
      throw StoreError("--store postgres://USER:PASSWORD@HOST:PORT/DATABASE expected, got '\(url)'")
    }
    let database = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
    let password = u.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
    let config = PostgresClient.Configuration(
      host: host, port: u.port ?? 5432, username: user, password: password,
      database: database.isEmpty ? nil : database, tls: .disable)
    let client = PostgresClient(configuration: config, backgroundLogger: logger)
    self.client = client
    runner = Task { await client.run() }
    do {
      try await migrate()
    } catch {
      runner.cancel()
      throw StoreError("cannot open the PostgreSQL store \(host)/\(database): \(String(reflecting: error))")
    }
  }

  deinit { runner.cancel() }

  /// Closes the connections: the client's run is cancelled, which closes them, and
  /// awaited.
  public func close() async {
    runner.cancel()
    await runner.value
  }

  /// The schema's versions, in order; a new version appends a statement list.
  static let migrations: [(version: Int, statements: [PostgresQuery])] = [
    (
      1,
      [
        """
        CREATE TABLE IF NOT EXISTS events (
          sequence BIGSERIAL PRIMARY KEY,
          hash BIGINT NOT NULL,
          kind TEXT NOT NULL,
          event_time TEXT,
          received_at DOUBLE PRECISION NOT NULL,
          body BYTEA NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS events_hash ON events(hash)",
      ]
    )
  ]

  func migrate() async throws {
    try await client.withTransaction(logger: logger) { c in
      try await c.query("CREATE TABLE IF NOT EXISTS lineage_schema (version INTEGER NOT NULL)", logger: logger)
      // One migrator at a time, however many servers start together.
      try await c.query("LOCK TABLE lineage_schema IN EXCLUSIVE MODE", logger: logger)
      var current = 0
      for try await v in try await c.query("SELECT max(version) FROM lineage_schema", logger: logger).decode(
        Int?.self)
      {
        current = v ?? 0
      }
      for m in Self.migrations where m.version > current {
        for statement in m.statements { try await c.query(statement, logger: logger) }
        try await c.query("INSERT INTO lineage_schema (version) VALUES (\(m.version))", logger: logger)
      }
    }
  }

  /// Stores `events` in one transaction, committed before it returns; an event with the same bytes
  /// as a stored one, or as an earlier one of `events`, is not stored again.
  ///
  /// - Parameter events: The new events, in order of arrival.
  /// - Returns: Per event, the stored event with its sequence number, and whether this append
  ///   stored it.
  /// - Throws: ``StoreError`` when the database cannot take the writes; nothing was stored
  ///   unless the connection was lost during the commit or the deadline passed after it
  ///   (``lostBeforeCommit(_:)``, ``bounded(by:_:)``).
  public func append(_ events: [StoredEvent]) async throws(StoreError) -> [Appended] {
    let now = Date().timeIntervalSince1970
    let logger = self.logger
    let client = self.client
    do {
      return try await Self.bounded(by: Self.writeTimeout) {
        // A connection lost before the commit (the database restarted, a pooled
        // connection it closed) took nothing with it: try again on a new one until
        // the deadline, so that a restart costs the producers a pause, not an error.
        var pause = Duration.milliseconds(25)
        while true {
          do {
            return try await Self.write(events, at: now, client: client, logger: logger)
          } catch  where Self.lostBeforeCommit(error) {
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(400))
          }
        }
      }
    } catch {
      throw StoreError("the PostgreSQL store cannot take writes: \(String(reflecting: error))")
    }
  }

  /// One transaction that stores `events` (see ``append(_:)``).
  static func write(
    _ events: [StoredEvent], at now: Double, client: PostgresClient, logger: Logger
  ) async throws -> [Appended] {
    try await client.withTransaction(logger: logger) { c in
      var out: [Appended] = []
      for e in events {
        let hash = eventHash(e.body)
        let body = ByteBuffer(bytes: e.body)
        try await c.query("SELECT pg_advisory_xact_lock(\(hash))", logger: logger)
        var stored = e
        var exists = false
        for try await sequence in try await c.query(
          "SELECT sequence FROM events WHERE hash = \(hash) AND body = \(body)", logger: logger
        ).decode(Int64.self) {
          stored.sequence = sequence
          exists = true
        }
        if exists {
          out.append(Appended(event: stored, isNew: false))
          continue
        }
        for try await sequence in try await c.query(
          """
          INSERT INTO events (hash, kind, event_time, received_at, body)
          VALUES (\(hash), \(e.kind), \(e.eventTime), \(now), \(body)) RETURNING sequence
          """, logger: logger
        ).decode(Int64.self) {
          stored.sequence = sequence
        }
        out.append(Appended(event: stored, isNew: true))
      }
      return out
    }
  }

  /// Whether `error` is a lost connection (or one that could not be made) before the
  /// transaction's commit was sent: the database rolled it back, so it can be tried
  /// again. A connection lost during the commit is not (the commit may have happened);
  /// the request gets its 503 and the client's retry finds the event stored.
  static func lostBeforeCommit(_ error: any Error) -> Bool {
    if let t = error as? PostgresTransactionError {
      guard t.commitError == nil else { return false }
      return [t.beginError, t.closureError].contains { $0.map(isConnectionLoss) ?? false }
    }
    // Not in a transaction: the lease of a connection failed, and nothing was sent.
    return isConnectionLoss(error)
  }

  /// Whether `error` says the connection to the database was lost or could not be
  /// made: a restart, a crash, a cut network (SQLSTATE classes 08 and 57P).
  static func isConnectionLoss(_ error: any Error) -> Bool {
    guard let e = error as? PSQLError else { return false }
    if e.code == .connectionError || e.code == .serverClosedConnection || e.code == .uncleanShutdown {
      return true
    }
    guard e.code == .server, let state = e.serverInfo?[.sqlState] else { return false }
    return state.hasPrefix("08") || state.hasPrefix("57P")
  }

  /// How long a write may wait for the database (a connection while it is down, a lock):
  /// past it the request is answered 503 and the client retries, instead of hanging while
  /// the pool reconnects.
  static let writeTimeout: Duration = .seconds(5)

  /// A write that took longer than ``writeTimeout``.
  struct TimedOut: Error, CustomStringConvertible {
    var description: String { "no answer from the database within \(PostgresEventStore.writeTimeout)" }
  }

  /// `body`'s result, or ``TimedOut`` once `limit` has passed (the body is then
  /// cancelled; if it commits anyway, the client's retry is an identical event, stored
  /// once).
  static func bounded<T: Sendable>(
    by limit: Duration, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let once = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    return try await withCheckedThrowingContinuation { (k: CheckedContinuation<T, any Error>) in
      once.withLockedValue { $0 = k }
      let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
      // The timer runs on a dispatch queue, not as a task: when every thread of the
      // tasks' pool is busy (a model being built), the deadline still comes on time.
      // The write cancels it when it ends first.
      let timer = DispatchWorkItem {
        if let k = once.withLockedValue({ $0.take() }) {
          work.withLockedValue { $0 }?.cancel()
          k.resume(throwing: TimedOut())
        }
      }
      let (seconds, attoseconds) = limit.components
      DispatchQueue.global().asyncAfter(
        deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)),
        execute: timer)
      // DispatchWorkItem is not marked Sendable, but its cancel() is safe from any thread.
      nonisolated(unsafe) let stop = timer
      work.withLockedValue {
        $0 = Task {
          let result: Result<T, any Error>
          do { result = .success(try await body()) } catch { result = .failure(error) }
          // Taken before the timer is stopped, so that the two never both answer.
          let k = once.withLockedValue { $0.take() }
          stop.cancel()
          k?.resume(with: result)
        }
      }
    }
  }

  /// The stored events after `sequence`, in order, at most `limit` of them. Sequence
  /// numbers increase but may skip values (a rolled-back append uses some).
  ///
  /// - Parameters:
  ///   - sequence: The last sequence number already seen (0 for all).
  ///   - limit: How many events to answer at most.
  /// - Returns: The events, oldest first.
  /// - Throws: ``StoreError`` when the database cannot be read.
  public func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    do {
      var out: [StoredEvent] = []
      let rows = try await client.query(
        "SELECT sequence, kind, event_time, body FROM events WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)",
        logger: logger)
      for try await (seq, kind, time, body) in rows.decode((Int64, String, String?, ByteBuffer).self) {
        out.append(StoredEvent(sequence: seq, body: Array(body.readableBytesView), kind: kind, eventTime: time))
      }
      return out
    } catch {
      throw StoreError("the PostgreSQL store cannot be read: \(String(reflecting: error))")
    }
  }

  /// The number of stored events.
  ///
  /// - Returns: The count.
  /// - Throws: ``StoreError`` when the database cannot be read.
  public func count() async throws(StoreError) -> Int {
    do {
      var n = 0
      for try await c in try await client.query("SELECT count(*) FROM events", logger: logger).decode(Int.self) {
        n = c
      }
      return n
    } catch {
      throw StoreError("the PostgreSQL store cannot be read: \(String(reflecting: error))")
    }
  }
}
