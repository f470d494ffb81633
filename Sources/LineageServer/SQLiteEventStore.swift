internal import Foundation
internal import GRDB

/// The events in one SQLite file (WAL mode), through GRDB.
///
/// Durability: each append is one transaction, committed before it returns, with
/// `synchronous=NORMAL`, which in WAL mode survives a crash or kill of the server
/// (the operating system has the pages); an outage of the whole machine may lose the
/// last transactions. The schema is versioned: migrations run on open.
public final class SQLiteEventStore: EventStore {
  let pool: DatabasePool

  /// Opens (creating it if needed) the store at `path` and migrates it.
  ///
  /// - Parameter path: The database file.
  /// - Throws: ``StoreError`` when the file cannot be opened or is not this store.
  public init(path: String) throws(StoreError) {
    var config = Configuration()
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    config.busyMode = .timeout(5)
    do {
      pool = try DatabasePool(path: path, configuration: config)
      try Self.migrator.migrate(pool)
    } catch {
      throw StoreError("cannot open the SQLite store \(path): \(error)")
    }
  }

  /// The schema's versions, in order; a new version appends a migration.
  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1: events") { db in
      try db.execute(
        sql: """
          CREATE TABLE events (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            hash INTEGER NOT NULL,
            kind TEXT NOT NULL,
            event_time TEXT,
            received_at REAL NOT NULL,
            body BLOB NOT NULL
          );
          CREATE INDEX events_hash ON events(hash);
          """)
    }
    return m
  }

  /// Stores `events` in one transaction, committed before it returns; an event with the same bytes
  /// as a stored one, or as an earlier one of `events`, is not stored again.
  ///
  /// - Parameter events: The new events, in order of arrival.
  /// - Returns: Per event, the stored event with its sequence number, and whether this append
  ///   stored it.
  /// - Throws: ``StoreError`` when the file cannot take the writes; nothing was stored.
  public func append(_ events: [StoredEvent]) async throws(StoreError) -> [Appended] {
    let now = Date().timeIntervalSince1970
    do {
      return try await pool.write { db in
        var out: [Appended] = []
        out.reserveCapacity(events.count)
        // Prepared once per connection, not per event.
        let find = try db.cachedStatement(sql: "SELECT sequence FROM events WHERE hash = ? AND body = ?")
        let insert = try db.cachedStatement(
          sql: "INSERT INTO events (hash, kind, event_time, received_at, body) VALUES (?, ?, ?, ?, ?)")
        for e in events {
          let hash = eventHash(e.body)
          let body = Data(e.body)
          var stored = e
          if let sequence = try Int64.fetchOne(find, arguments: [hash, body]) {
            stored.sequence = sequence
            out.append(Appended(event: stored, isNew: false))
            continue
          }
          try insert.execute(arguments: [hash, e.kind, e.eventTime, now, body])
          stored.sequence = db.lastInsertedRowID
          out.append(Appended(event: stored, isNew: true))
        }
        return out
      }
    } catch {
      throw StoreError("the SQLite store cannot take writes: \(error)")
    }
  }

  /// Closes the database: the write-ahead log checkpointed into the file and emptied,
  /// the cached statements finalized (with the event bodies they were last bound to),
  /// the connections closed. A failure (a read still running) leaves the rest to the
  /// process's exit: the log is checkpointed on the next start.
  public func close() async {
    _ = try? await pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    try? pool.close()
  }

  /// The stored events after `sequence`, in order, at most `limit` of them.
  ///
  /// - Parameters:
  ///   - sequence: The last sequence number already seen (0 for all).
  ///   - limit: How many events to answer at most.
  /// - Returns: The events, oldest first.
  /// - Throws: ``StoreError`` when the file cannot be read.
  public func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    do {
      return try await pool.read { db in
        let rows = try Row.fetchCursor(
          db, sql: "SELECT sequence, kind, event_time, body FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?",
          arguments: [sequence, limit])
        var out: [StoredEvent] = []
        while let row = try rows.next() {
          let body: Data = row[3]
          out.append(StoredEvent(sequence: row[0], body: [UInt8](body), kind: row[1], eventTime: row[2]))
        }
        return out
      }
    } catch {
      throw StoreError("the SQLite store cannot be read: \(error)")
    }
  }

  /// The number of stored events.
  ///
  /// - Returns: The count.
  /// - Throws: ``StoreError`` when the file cannot be read.
  public func count() async throws(StoreError) -> Int {
    do {
      return try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0 }
    } catch {
      throw StoreError("the SQLite store cannot be read: \(error)")
    }
  }
}
