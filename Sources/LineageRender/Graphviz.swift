internal import CGraphviz
import Synchronization

/// Messages Graphviz reports through its error callback, collected per call.
private let collected = Mutex<[String]>([])

private func collect(_ message: UnsafePointer<CChar>?) {
  guard let message else { return }
  let text = String(cString: message)
  collected.withLock { $0.append(text) }
}

/// The one place that talks to libgvc/libcgraph.
///
/// Graphviz is not thread-safe (not even with one context per thread), so every call
/// runs under one process-wide lock, on one long-lived context created on first use.
/// Layout engines and output formats are checked once at start-up, so a broken
/// plugin configuration becomes a clear error instead of an empty diagram.
public enum Graphviz {
  final class Context: @unchecked Sendable {
    // Only touched while `lock` is held.
    let gvc: OpaquePointer?
    let layouts: Set<String>
    let formats: Set<String>

    init() {
      lineage_gv_install_sink(collect)
      let context = gvContext()
      gvc = context
      layouts = Self.list(context, "layout")
      formats = Self.list(context, "device").union(Self.list(context, "render"))
    }

    static func list(_ gvc: OpaquePointer?, _ kind: String) -> Set<String> {
      var count: Int32 = 0
      guard let gvc, let raw = gvPluginList(gvc, kind, &count, nil) else { return [] }
      defer { lineage_gv_free_list(raw, count) }
      var out = Set<String>()
      for i in 0..<Int(count) {
        if let p = raw[i] { out.insert(String(String(cString: p).split(separator: ":")[0])) }
      }
      return out
    }
  }

  static let lock = Mutex<Context?>(nil)

  /// Runs `body` with the context, under the process-wide lock.
  static func withContext<R>(_ body: (Context) throws(RenderError) -> R) throws(RenderError) -> R {
    try lock.withLock { (slot: inout Context?) throws(RenderError) -> R in
      let ctx = slot ?? Context()
      slot = ctx
      return try body(ctx)
    }
  }

  /// The layout engines and output formats Graphviz has plugins for.
  public static func plugins() throws(RenderError) -> (layouts: [String], formats: [String]) {
    try withContext { ctx in (ctx.layouts.sorted(), ctx.formats.sorted()) }
  }

  /// Lays out DOT text with `engine` and renders it as `format` (`svg`, `png`, `pdf`, ...).
  ///
  /// - Throws: ``RenderError`` when the plugins are missing, the DOT does not parse,
  ///   layout or rendering fails, or Graphviz reports an error on the way.
  public static func render(dot: String, engine: String, format: String) throws(RenderError) -> [UInt8] {
    if dot.utf8.contains(0) { throw RenderError(message: "diagram text contains a NUL byte") }
    return try withContext { ctx throws(RenderError) -> [UInt8] in
      guard let gvc = ctx.gvc, ctx.layouts.contains("dot") else {
        throw RenderError(
          message: "Graphviz has no layout plugins (its plugin configuration is missing or stale)",
          hint: "run 'libgvc6-config-update -c' as root, or reinstall libgvc6")
      }
      guard ctx.layouts.contains(engine) else {
        throw RenderError(
          message: "unknown layout engine '\(engine)'",
          hint: "available: \(ctx.layouts.sorted().joined(separator: ", "))")
      }
      guard ctx.formats.contains(format) else {
        throw RenderError(
          message: "Graphviz cannot write '\(format)' here",
          hint: "available: \(ctx.formats.sorted().joined(separator: ", "))")
      }
      collected.withLock { $0.removeAll() }
      agreseterrors()
      func failure(_ what: String) -> RenderError {
        let messages = collected.withLock { m in m.joined().split(separator: "\n").map(String.init) }
        agreseterrors()
        return RenderError(message: what + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; ")))
      }
      guard let graph = dot.withCString({ agmemread($0) }) else { throw failure("Graphviz could not read the diagram") }
      defer { agclose(graph) }
      guard engine.withCString({ gvLayout(gvc, graph, $0) }) == 0, agerrors() == 0 else {
        throw failure("Graphviz layout with \(engine) failed")
      }
      defer { gvFreeLayout(gvc, graph) }
      var data: UnsafeMutablePointer<CChar>?
      var length: UInt32 = 0
      let status = format.withCString { gvRenderData(gvc, graph, $0, &data, &length) }
      defer { if let data { gvFreeRenderData(data) } }
      guard status == 0, agerrors() == 0, let data else { throw failure("Graphviz could not render \(format)") }
      return data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
        Array(UnsafeBufferPointer(start: $0, count: Int(length)))
      }
    }
  }
}
