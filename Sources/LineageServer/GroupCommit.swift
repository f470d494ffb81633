internal import NIOConcurrencyHelpers

/// Group commit in front of a store: appends that arrive while one is being written
/// wait, and are then written together, in one transaction, in order of arrival.
///
/// Eight producers posting one event per request would otherwise cost eight
/// transactions (each with its begin, its write to the log and its commit) where one
/// does. Each caller still returns only once its own events are durable, and gets
/// exactly its own results; when the grouped transaction fails, every caller in the
/// group gets the error (the store's append is one transaction: all of their events
/// were stored or none, and only a failure during the commit leaves them stored).
final class GroupCommit: EventStore {
  let base: any EventStore
  /// The most events one grouped transaction takes; the rest wait for the next.
  let groupLimit: Int
  /// (A lock ThreadSanitizer sees: `Synchronization.Mutex`'s futex on Linux is not
  /// instrumented, and every access under it reads as a race.)
  private let state = NIOLockedValueBox(State())

  private struct State {
    var waiting: [Waiter] = []
    var writing = false
  }

  private struct Waiter: Sendable {
    var events: [StoredEvent]
    var resume: CheckedContinuation<Result<[Appended], StoreError>, Never>
  }

  /// - Parameters:
  ///   - base: The store that writes.
  ///   - groupLimit: The most events one transaction takes (a request larger than
  ///     this is still written whole, in a transaction of its own).
  init(_ base: any EventStore, groupLimit: Int = 10_000) {
    self.base = base
    self.groupLimit = groupLimit
  }

  func close() async { await base.close() }

  func append(_ events: [StoredEvent]) async throws(StoreError) -> [Appended] {
    if events.isEmpty { return [] }
    let result = await withCheckedContinuation { (c: CheckedContinuation<Result<[Appended], StoreError>, Never>) in
      let start = state.withLockedValue { s in
        s.waiting.append(Waiter(events: events, resume: c))
        if s.writing { return false }
        s.writing = true
        return true
      }
      if start { Task { await self.drain() } }
    }
    return try result.get()
  }

  /// Writes what waits, one group at a time, until nothing does.
  private func drain() async {
    while true {
      let group = state.withLockedValue { s in
        var taken = 0
        var count = 0
        while taken < s.waiting.count && (taken == 0 || count + s.waiting[taken].events.count <= groupLimit) {
          count += s.waiting[taken].events.count
          taken += 1
        }
        let group = Array(s.waiting.prefix(taken))
        s.waiting.removeFirst(taken)
        if group.isEmpty { s.writing = false }
        return group
      }
      if group.isEmpty { return }
      do {
        let all = try await base.append(group.flatMap(\.events))
        var at = 0
        for w in group {
          w.resume.resume(returning: .success(Array(all[at..<at + w.events.count])))
          at += w.events.count
        }
      } catch {
        for w in group { w.resume.resume(returning: .failure(error)) }
      }
    }
  }

  func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    try await base.events(after: sequence, limit: limit)
  }

  func count() async throws(StoreError) -> Int { try await base.count() }
}
