import Testing

@testable import LineageCore

@Suite struct SelectorTests {
  // raw.a -> stg.b -> mart.c -> dash.d ; raw.a -> stg.e ; x.y isolated
  let g = namedGraph(
    ["raw.a>stg.b", "stg.b>mart.c", "mart.c>dash.d", "raw.a>stg.e", "odd+id>stg.b"],
    extra: ["x.y", "has space", "comma,id"])

  func ids(_ args: [String], exclude: String? = nil) throws -> [String] {
    let s = try Selector.parse(args, in: g)
    let ex = try exclude.map { try Selector.parse([$0], in: g) }
    return g.select(s, excluding: ex).nodes.map { g.id($0) }
  }

  func depths(_ args: [String]) throws -> [String: Int32] {
    let r = g.select(try Selector.parse(args, in: g))
    return Dictionary(uniqueKeysWithValues: zip(r.nodes.map { g.id($0) }, r.depths))
  }

  @Test func graphOperators() throws {
    #expect(try ids(["stg.b"]) == ["stg.b"])
    #expect(try ids(["+stg.b"]) == ["odd+id", "raw.a", "stg.b"])
    #expect(try ids(["stg.b+"]) == ["dash.d", "mart.c", "stg.b"])
    #expect(try ids(["1+mart.c+1"]) == ["dash.d", "mart.c", "stg.b"])
    #expect(try ids(["stg.b+1"]) == ["mart.c", "stg.b"])
    #expect(try ids(["@stg.e"]) == ["raw.a", "stg.e"])
    #expect(try ids(["@mart.c"]) == ["dash.d", "mart.c", "odd+id", "raw.a", "stg.b"])
    #expect(try depths(["+mart.c"]) == ["mart.c": 0, "stg.b": 1, "raw.a": 2, "odd+id": 2])
    #expect(try depths(["@stg.b"]) == ["stg.b": 0, "mart.c": 1, "dash.d": 2, "raw.a": 1, "odd+id": 1])
  }

  @Test func methodsWildcardsUnionIntersectionExclude() throws {
    #expect(try ids(["stg.*"]) == ["stg.b", "stg.e"])
    #expect(try ids(["domain:stg"]) == ["stg.b", "stg.e"])
    #expect(try ids(["owner:team-dash"]) == ["dash.d"])
    #expect(try ids(["domain:st*"]) == ["stg.b", "stg.e"])
    #expect(try ids(["kind:product"]).count == 9)
    #expect(try ids(["status:active,domain:raw"]) == ["raw.a"])
    #expect(try ids(["stg.b+ x.y"]) == ["dash.d", "mart.c", "stg.b", "x.y"])
    #expect(try ids(["stg.b+", "x.y"]) == ["dash.d", "mart.c", "stg.b", "x.y"])
    #expect(try ids(["raw.a+,domain:stg"]) == ["stg.b", "stg.e"])
    #expect(try ids(["raw.a+"], exclude: "stg.b+") == ["raw.a", "stg.e"])
    #expect(try ids(["*"]).count == 9)
    #expect(try ids(["tag:nothing"]).isEmpty)
  }

  @Test func exactIdsWinOverSyntax() throws {
    #expect(try ids(["odd+id"]) == ["odd+id"])
    #expect(try ids(["odd+id+"]) == ["dash.d", "mart.c", "odd+id", "stg.b"])
    #expect(try ids(["has space"]) == ["has space"])
    #expect(try ids(["comma,id"]) == ["comma,id"])
  }

  @Test func unmatchedAtomsGetSuggestions() throws {
    let r = g.select(try Selector.parse(["stg.bb", "domain:strg"], in: g))
    #expect(r.nodes.isEmpty)
    #expect(r.unmatched.map(\.atom) == ["stg.bb", "domain:strg"])
    #expect(r.unmatched.map(\.suggestion) == ["stg.b", "stg"])
  }

  @Test(arguments: [
    ("@+stg.b", 1, "'@' cannot be combined"),
    ("@stg.b+1", 1, "already includes every descendant"),
    ("+", 1, "no value"),
    ("++stg.b", 1, "unexpected '+'"),
    ("stg.b,,x.y", 7, "empty selector between commas"),
    ("x.y domian:stg", 5, "unknown selector method 'domian'"),
    ("domain:", 1, "needs a value"),
    ("", 1, "empty selector"),
  ])
  func malformedSelectorsAreLocated(_ text: String, _ column: Int, _ message: String) {
    #expect {
      _ = try Selector.parse([text], in: g)
    } throws: { error in
      guard let e = error as? SelectorError else { return false }
      return e.column == column && e.message.contains(message)
    }
  }

  @Test func unknownMethodSuggestsTheClosest() {
    do {
      _ = try Selector.parse(["domian:stg"], in: g)
      Issue.record("expected an error")
    } catch {
      #expect(error.hint == "did you mean 'domain'?")
    }
  }
}
