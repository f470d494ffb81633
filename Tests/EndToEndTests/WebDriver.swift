import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Headless Chromium driven through chromedriver's W3C WebDriver HTTP API: the real
/// browser the explorer page runs in. A machine without Debian's `chromium` and
/// `chromium-driver` fails with how to install them.
final class WebDriver: @unchecked Sendable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static let install =
    "the browser tests need Chromium and chromedriver: run `make browser` (or `apt-get install chromium chromium-driver`)"

  /// Where the tests look for Chromium and chromedriver: the PATH, /usr/bin and
  /// /usr/lib/chromium.
  static var searchPath: String {
    (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/usr/lib/chromium"
  }

  /// The first executable of `names` in `path` (directories separated by colons).
  static func find(_ names: [String], in path: String = searchPath) -> String? {
    for dir in path.split(separator: ":") {
      for name in names where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
      }
    }
    return nil
  }

  let driver = Process()
  let port: Int
  let session: String

  /// chromedriver and Chromium, found in `path`; without them, a failure that says how
  /// to install them (the browser tests fail, they are never skipped).
  static func locate(in path: String = searchPath) throws -> (driver: String, browser: String) {
    guard let driver = find(["chromedriver"], in: path), let browser = find(["chromium", "chromium-browser"], in: path)
    else {
      throw Failure(description: install)
    }
    return (driver, browser)
  }

  /// Starts chromedriver on a free port and opens a headless Chromium session.
  init(width: Int = 1400, height: Int = 900) async throws {
    let (driverPath, browser) = try Self.locate()
    setenv("no_proxy", "127.0.0.1,localhost", 1)
    port = try Self.freePort()
    driver.executableURL = URL(fileURLWithPath: driverPath)
    driver.arguments = ["--port=\(port)"]
    driver.standardOutput = FileHandle.nullDevice
    driver.standardError = FileHandle.nullDevice
    try driver.run()
    var ready = false
    for _ in 0..<100 {
      if let status = try? await Self.call(port, "GET", "/status", nil), status["ready"] as? Bool == true {
        ready = true
        break
      }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
    guard ready else {
      Self.stop(driver)
      throw Failure(description: "chromedriver did not start on port \(port)")
    }
    let capabilities: [String: Any] = [
      "capabilities": [
        "alwaysMatch": [
          "browserName": "chrome",
          "goog:loggingPrefs": ["browser": "ALL"],
          "goog:chromeOptions": [
            "binary": browser,
            "args": [
              "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=\(width),\(height)", "--no-first-run", "--disable-extensions",
            ],
          ],
        ]
      ]
    ]
    do {
      let value = try await Self.call(port, "POST", "/session", capabilities)
      guard let id = value["sessionId"] as? String else { throw Failure(description: "no session: \(value)") }
      session = id
    } catch {
      Self.stop(driver)
      throw error
    }
  }

  /// Ends the session and chromedriver.
  func quit() async {
    _ = try? await Self.call(port, "DELETE", "/session/\(session)", nil)
    Self.stop(driver)
  }

  /// chromedriver does not stop on SIGTERM: SIGKILL, then reap it.
  static func stop(_ process: Process) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  deinit { Self.stop(driver) }

  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
        bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
      }
    }
    guard bound else { throw Failure(description: "no free port") }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// One WebDriver command: its `value`, as a dictionary when it is one.
  @discardableResult
  static func call(_ port: Int, _ method: String, _ path: String, _ body: [String: Any]?)
    async throws -> [String: Any]
  {
    let value = try await raw(port, method, path, body)
    return value as? [String: Any] ?? ["value": value as Any]
  }

  static func raw(_ port: Int, _ method: String, _ path: String, _ body: [String: Any]?)
    async throws -> Any?
  {
    let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
    let (status, data) = try exchange(port, method, path, payload)
    let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
    let value = object?["value"]
    if status >= 400 {
      throw Failure(description: "WebDriver \(method) \(path): \(status) \(value ?? "")")
    }
    return value
  }

  /// One HTTP/1.1 request (``LoopbackHTTP``): the status and the body.
  static func exchange(_ port: Int, _ method: String, _ path: String, _ body: Data) throws -> (Int, Data) {
    let answer = try LoopbackHTTP.exchange(
      port: port, method: method, path: path, body: body, headers: ["Content-Type": "application/json"], timeout: 60)
    return (answer.status, answer.body)
  }

  @discardableResult
  func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
    try await Self.raw(port, method, "/session/\(session)\(path)", body)
  }

  /// Opens a URL and waits until the page says it is ready (or failed).
  func open(_ url: String) async throws {
    try await command("POST", "/url", ["url": url])
    try await waitReady()
  }

  func waitReady() async throws {
    for _ in 0..<200 {
      let ready = try await run("return document.body && document.body.dataset.ready || ''") as? String
      if ready == "true" { return }
      if ready == "error" {
        let error = try await run("return window.lineageExplorer && window.lineageExplorer.error")
        throw Failure(description: "the page failed to start: \(error ?? "")")
      }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw Failure(description: "the page did not become ready")
  }

  /// Runs `script` (a function body) in the page; its return value.
  @discardableResult
  func run(_ script: String, _ args: [Any] = []) async throws -> Any? {
    try await command("POST", "/execute/sync", ["script": script, "args": args])
  }

  /// The WebDriver id of the element `css` selects.
  func element(_ css: String) async throws -> String {
    let value = try await command("POST", "/element", ["using": "css selector", "value": css]) as? [String: Any]
    guard let id = value?.values.first as? String else { throw Failure(description: "no element \(css)") }
    return id
  }

  /// Clicks the element `css` selects, as a user would.
  func click(_ css: String) async throws {
    let id = try await element(css)
    try await command("POST", "/element/\(id)/click", [:])
  }

  /// Types into the element `css` selects (WebDriver key codes for Enter and such).
  func type(_ css: String, _ text: String) async throws {
    let id = try await element(css)
    try await command("POST", "/element/\(id)/value", ["text": text])
  }

  /// Presses a key on whatever has the focus, as a keyboard would (WebDriver actions).
  func press(_ key: String) async throws {
    let actions: [String: Any] = [
      "actions": [
        [
          "type": "key", "id": "keyboard",
          "actions": [["type": "keyDown", "value": key], ["type": "keyUp", "value": key]],
        ]
      ]
    ]
    try await command("POST", "/actions", actions)
  }

  /// A screenshot of the window, as PNG.
  func screenshot() async throws -> Data {
    guard let b64 = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: b64) else {
      throw Failure(description: "no screenshot")
    }
    return data
  }

  func refresh() async throws {
    try await command("POST", "/refresh", [:])
    try await waitReady()
  }

  func url() async throws -> String { try await command("GET", "/url") as? String ?? "" }

  /// The browser's console errors (Chromium's log), to catch a blocked script or style.
  func severeLogs() async throws -> [String] {
    let entries = try await command("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
    return entries.filter { $0["level"] as? String == "SEVERE" }.compactMap { $0["message"] as? String }
  }
}
