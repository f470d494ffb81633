internal import NIOConcurrencyHelpers
internal import Prometheus

/// What `/metrics` reports, in Prometheus's text format: events ingested and
/// rejected (by status), requests, query latency, and the explorer's builds.
final class ServerMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  let ingested: Counter
  let duplicates: Counter
  let queryLatency: DurationHistogram
  let ingestLatency: DurationHistogram
  let explorerBuilds: Counter
  /// Present models built whole and brought up to date (``LineageState/modelBuilds``).
  let wholeBuilds: Counter
  let updates: Counter
  /// (NIO's lock, which ThreadSanitizer sees; see ``GroupCommit``.)
  let counted = NIOLockedValueBox((whole: 0, updates: 0))

  init() {
    ingested = registry.makeCounter(
      descriptor: Self.name("events_ingested", "total", "OpenLineage events stored (new ones, not retries)"))
    duplicates = registry.makeCounter(
      descriptor: Self.name("events_duplicate", "total", "Events received again, identical to a stored one"))
    explorerBuilds = registry.makeCounter(
      descriptor: Self.name(
        "explorer_builds", "total", "Explorer data and diagrams built (not answered from the cache)"))
    let builds = Self.name(
      "model_builds", "total", "Models of the present graph built: whole, or brought up to date after new events")
    wholeBuilds = registry.makeCounter(descriptor: builds, labels: [("how", "whole")])
    updates = registry.makeCounter(descriptor: builds, labels: [("how", "update")])
    let buckets: [Duration] = [
      .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
      .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
    ]
    queryLatency = registry.makeDurationHistogram(
      descriptor: Self.name("query_duration", "seconds", "Time to answer a query"), buckets: buckets)
    ingestLatency = registry.makeDurationHistogram(
      descriptor: Self.name("ingest_duration", "seconds", "Time to check and store a request's events"),
      buckets: buckets)
  }

  static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(namespace: "lineage", metricName: metric, unitName: unit, helpText: help)
  }

  /// Counts a refused request by its status.
  func rejected(status: Int) {
    registry.makeCounter(
      descriptor: Self.name("events_rejected", "total", "Ingest requests refused, by HTTP status"),
      labels: [("status", String(status))]
    ).increment()
  }

  /// Counts the models built since the last call: `builds` are the state's totals.
  func count(builds: (whole: Int, updates: Int)) {
    // Two scrapes at once may bring their totals in either order: only what is past the
    // highest counted is added.
    let (whole, updated) = counted.withLockedValue { last in
      defer { last = (max(last.whole, builds.whole), max(last.updates, builds.updates)) }
      return (builds.whole - last.whole, builds.updates - last.updates)
    }
    if whole > 0 { wholeBuilds.increment(by: Int64(whole)) }
    if updated > 0 { updates.increment(by: Int64(updated)) }
  }

  /// The exposition text.
  func text() -> [UInt8] {
    var out: [UInt8] = []
    registry.emit(into: &out)
    return out
  }
}
