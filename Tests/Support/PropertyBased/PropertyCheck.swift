public import Testing

/// A small, seeded property-check library for the test targets: generators of random
/// inputs (``Gen``, ``Generator``, `zip`) and ``propertyCheck(count:seed:input:sourceLocation:_:)``,
/// which runs a body on many generated inputs.
///
/// It has the shape of the part of swift-property-based the tests used, so the tests
/// read the same, and it keeps that dependency out of the package: a client of the
/// library resolves nothing for the tests. Unlike that library it does not shrink a
/// failing input; every run is deterministic instead. The seed comes from the call
/// site (file and line), or from `PROPERTY_SEED` when set, and is printed with each
/// check, so a failure replays exactly.

/// A deterministic pseudo-random source (SplitMix64).
public struct SeededRandom: RandomNumberGenerator, Sendable {
  var state: UInt64

  /// Creates a source.
  ///
  /// - Parameter seed: The seed; the same seed gives the same numbers.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  ///
  /// - Returns: A random value.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Makes random values of one type from a ``SeededRandom``.
public struct Generator<Value>: Sendable {
  let make: @Sendable (inout SeededRandom) -> Value

  /// Creates a generator.
  ///
  /// - Parameter make: Makes one value from the random source.
  public init(_ make: @escaping @Sendable (inout SeededRandom) -> Value) { self.make = make }

  /// One value.
  ///
  /// - Parameter random: The random source.
  /// - Returns: A generated value.
  public func run(_ random: inout SeededRandom) -> Value { make(&random) }

  /// A generator of transformed values.
  ///
  /// - Parameter transform: Turns a value into another.
  /// - Returns: The generator of transformed values.
  public func map<T>(_ transform: @escaping @Sendable (Value) -> T) -> Generator<T> {
    Generator<T> { transform(self.make(&$0)) }
  }

  /// A generator of arrays of this generator's values.
  ///
  /// - Parameter count: The range of the array's length, picked uniformly.
  /// - Returns: The generator of arrays.
  public func array(of count: ClosedRange<Int>) -> Generator<[Value]> {
    Generator<[Value]> { random in
      let n = Int.random(in: count, using: &random)
      var out: [Value] = []
      out.reserveCapacity(n)
      for _ in 0..<n { out.append(self.make(&random)) }
      return out
    }
  }
}

/// The basic generators.
public enum Gen {
  /// Integers in a range, picked uniformly.
  ///
  /// - Parameter range: The range.
  /// - Returns: The generator.
  public static func int(in range: ClosedRange<Int>) -> Generator<Int> {
    Generator { Int.random(in: range, using: &$0) }
  }
}

/// Pairs of values of two generators.
///
/// - Parameters:
///   - a: The first generator.
///   - b: The second generator.
/// - Returns: The generator of pairs.
public func zip<A, B>(_ a: Generator<A>, _ b: Generator<B>) -> Generator<(A, B)> {
  Generator { random in
    let x = a.run(&random)
    return (x, b.run(&random))
  }
}

/// Triples of values of three generators.
///
/// - Parameters:
///   - a: The first generator.
///   - b: The second generator.
///   - c: The third generator.
/// - Returns: The generator of triples.
public func zip<A, B, C>(_ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>) -> Generator<(A, B, C)> {
  Generator { random in
    let x = a.run(&random)
    let y = b.run(&random)
    return (x, y, c.run(&random))
  }
}

/// Quadruples of values of four generators.
///
/// - Parameters:
///   - a: The first generator.
///   - b: The second generator.
///   - c: The third generator.
///   - d: The fourth generator.
/// - Returns: The generator of quadruples.
public func zip<A, B, C, D>(_ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>, _ d: Generator<D>)
  -> Generator<(A, B, C, D)>
{
  Generator { random in
    let w = a.run(&random)
    let x = b.run(&random)
    let y = c.run(&random)
    return (w, x, y, d.run(&random))
  }
}

/// The seed of a check at a call site: `PROPERTY_SEED` when set (decimal or 0x hex),
/// else a hash (FNV-1a) of the file name and line, so that each check has its own
/// fixed sequence of inputs.
func seed(for location: SourceLocation) -> UInt64 {
  if let text = environmentValue("PROPERTY_SEED") {
    let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
    if let value = UInt64(digits, radix: text.hasPrefix("0x") ? 16 : 10) { return value }
  }
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in "\(location.fileName):\(location.line)".utf8 {
    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
  }
  return hash
}

/// Runs `body` on `count` inputs made by `input`, in order, from one seeded source.
/// The seed is printed first (set `PROPERTY_SEED` to it to replay a run); an error
/// thrown by the body is recorded as an issue naming the seed, the case and its input,
/// and stops the check. `#expect` failures inside the body are the test's own.
///
/// - Parameters:
///   - count: How many inputs to try.
///   - seed: The seed; nil takes it from `PROPERTY_SEED` or the call site.
///   - input: The generator of the body's argument (a tuple may be taken apart).
///   - sourceLocation: Where the check is, for its seed and its issues.
///   - body: The property.
public func propertyCheck<A>(
  count: Int = 100, seed: UInt64? = nil, input: Generator<A>,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: (A) async throws -> Void
) async {
  let start = seed ?? PropertyBased.seed(for: sourceLocation)
  print("propertyCheck \(sourceLocation.fileName):\(sourceLocation.line): seed \(start), \(count) cases")
  var random = SeededRandom(seed: start)
  for i in 0..<count {
    let value = input.run(&random)
    do {
      try await body(value)
    } catch {
      Issue.record(
        "case \(i) of seed \(start) (PROPERTY_SEED=\(start)) threw \(error); input: \(value)",
        sourceLocation: sourceLocation)
      return
    }
  }
}

/// ``propertyCheck(count:seed:input:sourceLocation:_:)`` with two generators, one per
/// argument of `body`.
///
/// - Parameters:
///   - count: How many inputs to try.
///   - seed: The seed; nil takes it from `PROPERTY_SEED` or the call site.
///   - a: The generator of the first argument.
///   - b: The generator of the second argument.
///   - sourceLocation: Where the check is, for its seed and its issues.
///   - body: The property.
public func propertyCheck<A, B>(
  count: Int = 100, seed: UInt64? = nil, input a: Generator<A>, _ b: Generator<B>,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: (A, B) async throws -> Void
) async {
  await propertyCheck(count: count, seed: seed, input: zip(a, b), sourceLocation: sourceLocation) {
    try await body($0.0, $0.1)
  }
}

/// ``propertyCheck(count:seed:input:sourceLocation:_:)`` with three generators, one per
/// argument of `body`.
///
/// - Parameters:
///   - count: How many inputs to try.
///   - seed: The seed; nil takes it from `PROPERTY_SEED` or the call site.
///   - a: The generator of the first argument.
///   - b: The generator of the second argument.
///   - c: The generator of the third argument.
///   - sourceLocation: Where the check is, for its seed and its issues.
///   - body: The property.
public func propertyCheck<A, B, C>(
  count: Int = 100, seed: UInt64? = nil, input a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: (A, B, C) async throws -> Void
) async {
  await propertyCheck(count: count, seed: seed, input: zip(a, b, c), sourceLocation: sourceLocation) {
    try await body($0.0, $0.1, $0.2)
  }
}
