/// One OpenLineage event as the server keeps it.
public struct StoredEvent: Sendable, Equatable {
  /// The store's order of arrival, from 1.
  public var sequence: Int64
  /// The event's JSON, as received (after any `Content-Encoding` was undone).
  public var body: [UInt8]
  /// `RunEvent`, `DatasetEvent` or `JobEvent`.
  public var kind: String
  /// The event's own `eventTime`, when it has one.
  public var eventTime: String?

  /// - Parameters:
  ///   - sequence: The order of arrival, from 1.
  ///   - body: The event's JSON.
  ///   - kind: `RunEvent`, `DatasetEvent` or `JobEvent`.
  ///   - eventTime: The event's `eventTime`.
  public init(sequence: Int64, body: [UInt8], kind: String, eventTime: String?) {
    self.sequence = sequence
    self.body = body
    self.kind = kind
    self.eventTime = eventTime
  }
}

/// What became of one event given to ``EventStore/append(_:)``.
public struct Appended: Sendable, Equatable {
  /// The event as stored, with its sequence number: an identical stored event's when
  /// there was one.
  public var event: StoredEvent
  /// False when an identical event was already stored (a client's retry).
  public var isNew: Bool

  /// - Parameters:
  ///   - event: The event as stored.
  ///   - isNew: Whether this append stored it.
  public init(event: StoredEvent, isNew: Bool) {
    self.event = event
    self.isNew = isNew
  }
}

/// Why a store could not do what was asked: the server answers 503, and clients retry.
public struct StoreError: Error, Sendable, CustomStringConvertible {
  /// What failed, for the log and the 503 body.
  public var message: String
  /// Creates an error.
  ///
  /// - Parameter message: What failed.
  public init(_ message: String) { self.message = message }
  /// The same as ``message``.
  public var description: String { message }
}

/// Where the server keeps the events it received, durably, in order.
///
/// The raw events are kept (not only the graph), so history can be replayed and the
/// graph rebuilt with a later version of the importer. An event identical to one
/// already stored (the same bytes: a client's retry) is not stored twice.
public protocol EventStore: Sendable {
  /// Stores `events` in one transaction; it returns once they are durable.
  ///
  /// - Parameter events: The new events, in order of arrival (sequence numbers are
  ///   assigned by the store and ignored here).
  /// - Returns: Per event, the stored event with its sequence number, and whether this
  ///   append stored it (an identical event already stored gives that event's number).
  /// - Throws: ``StoreError`` when the store cannot take writes. Nothing was stored
  ///   unless the failure came during or after the commit (a connection lost then, a
  ///   deadline passed): a retry then finds the events stored.
  func append(_ events: [StoredEvent]) async throws(StoreError) -> [Appended]

  /// The stored events after `sequence`, in order, at most `limit` of them.
  ///
  /// - Parameters:
  ///   - sequence: The last sequence number already seen (0 for all).
  ///   - limit: How many events to answer at most (a page of them).
  /// - Returns: The events, oldest first.
  /// - Throws: ``StoreError`` when the store cannot be read.
  func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent]

  /// The number of stored events.
  ///
  /// - Returns: The count.
  /// - Throws: ``StoreError`` when the store cannot be read.
  func count() async throws(StoreError) -> Int

  /// Closes the store at shutdown, once no request uses it: statements finalized,
  /// connections closed (SQLite checkpoints its write-ahead log). Reads and writes
  /// after it fail.
  func close() async
}

extension EventStore {
  /// A store with nothing to close (one in memory) closes by doing nothing.
  public func close() async {}

  /// Every stored event after `sequence`, in order.
  ///
  /// - Parameter sequence: The last sequence number already seen (0 for all).
  /// - Returns: The events, oldest first.
  /// - Throws: ``StoreError`` when the store cannot be read.
  public func events(after sequence: Int64) async throws(StoreError) -> [StoredEvent] {
    try await events(after: sequence, limit: Int(Int32.max))
  }
}

/// The 64-bit FNV-1a hash of an event's bytes: the index that finds an identical event
/// without comparing against every stored one (the bytes themselves decide).
func eventHash(_ bytes: [UInt8]) -> Int64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in bytes {
    h ^= UInt64(b)
    h &*= 0x100_0000_01b3
  }
  return Int64(bitPattern: h)
}
