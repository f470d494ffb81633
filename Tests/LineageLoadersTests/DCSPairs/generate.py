# Generates Tests/LineageLoadersTests/Fixtures/dcs-breaking: a base contract and one
# changed copy per pair, with the verdict each should get (see verdicts.txt).
import os, sys
out = sys.argv[1]  # Tests/LineageLoadersTests/DCSPairs
BASE = """dataContractSpecification: 1.2.0
id: shop-orders
info:
  title: Shop orders
  version: 1.0.0
  owner: checkout-team
servers:
  production:
    type: postgres
    host: db.example.com
    port: 5432
    database: shop
    schema: public
models:
  orders:
    description: One row per order.
    type: table
    fields:
      order_id:
        $ref: '#/definitions/order_id'
        required: true
        unique: true
        primaryKey: true
      status:
        type: string
        required: true
        enum:
          - placed
          - shipped
          - delivered
      order_total:
        type: long
        required: true
        minimum: 0
        maximum: 1000000
      discount:
        type: decimal
        precision: 10
        scale: 2
      customer_id:
        type: text
        minLength: 10
        maxLength: 20
      customer_email:
        type: string
        format: email
        pattern: ^[^@]+@[^@]+$
        description: The email address.
      address:
        type: object
        fields:
          street:
            type: string
          city:
            type: string
  line_items:
    type: table
    fields:
      line_item_id:
        type: string
        required: true
        unique: true
      order_id:
        $ref: '#/definitions/order_id'
        references: orders.order_id
      quantity:
        type: integer
        minimum: 1
definitions:
  order_id:
    type: string
    format: uuid
    description: An internal order id.
"""
# name, expected (fail | pass), reason, [(old, new), ...]
PAIRS = [
  ("unchanged", "pass", "nothing changed", []),
  ("field-removed", "fail", "readers of customer_id lose it", [("      customer_id:\n        type: text\n        minLength: 10\n        maxLength: 20\n", "")]),
  ("field-added", "pass", "a new field breaks no reader", [("      address:\n", "      channel:\n        type: string\n      address:\n")]),
  ("model-removed", "fail", "readers of line_items lose it", [(BASE[BASE.index("  line_items:"):BASE.index("definitions:")], "")]),
  ("model-added", "pass", "a new model breaks no reader", [("definitions:\n", "  refunds:\n    type: table\n    fields:\n      refund_id:\n        type: string\ndefinitions:\n")]),
  ("long-to-string", "fail", "integer to string: readers computing with the number break (the issue's case)", [("        type: long\n", "        type: string\n")]),
  ("integer-to-bigint", "fail", "a widening still changes the type readers bind", [("        type: integer\n        minimum: 1\n", "        type: bigint\n        minimum: 1\n")]),
  ("string-to-integer", "fail", "string to integer: readers binding text break", [("      line_item_id:\n        type: string\n", "      line_item_id:\n        type: integer\n")]),
  ("text-to-string", "fail", "the type's name changes; datacontract-cli compares the name as written, and so do contracts' readers", [("        type: text\n", "        type: string\n")]),
  ("type-removed", "fail", "readers lose the promise of a type", [("      line_item_id:\n        type: string\n", "      line_item_id:\n")]),
  ("type-added", "pass", "a type where there was none promises more (v1 has no type)", [("REVERSE", ""), ("          street:\n            type: string\n", "          street:\n            description: The street.\n")]),
  ("required-dropped", "fail", "readers may get nulls", [("        type: long\n        required: true\n", "        type: long\n        required: false\n")]),
  ("required-added", "pass", "non-null promises more", [("      customer_id:\n        type: text\n", "      customer_id:\n        type: text\n        required: true\n")]),
  ("unique-dropped", "fail", "readers may get duplicates", [("        required: true\n        unique: true\n      order_id:", "        required: true\n      order_id:")]),
  ("unique-added", "pass", "unique promises more", [("      quantity:\n        type: integer\n", "      quantity:\n        type: integer\n        unique: true\n")]),
  ("primary-key-dropped", "fail", "no longer the key: duplicates may arrive", [("        unique: true\n        primaryKey: true\n", "        unique: true\n")]),
  ("enum-value-added", "fail", "readers may get a value they do not handle", [("          - delivered\n", "          - delivered\n          - returned\n")]),
  ("enum-value-removed", "pass", "fewer values promises more", [("          - shipped\n", "")]),
  ("enum-value-replaced", "fail", "a value added (and one removed)", [("          - shipped\n", "          - dispatched\n")]),
  ("enum-removed", "fail", "any value may arrive", [("        enum:\n          - placed\n          - shipped\n          - delivered\n", "")]),
  ("enum-added", "pass", "allowed values promise more", [("          street:\n            type: string\n", "          street:\n            type: string\n            enum:\n              - main\n")]),
  ("maximum-raised", "fail", "larger values may arrive", [("        maximum: 1000000\n", "        maximum: 2000000\n")]),
  ("maximum-lowered", "pass", "a lower maximum promises more", [("        maximum: 1000000\n", "        maximum: 500000\n")]),
  ("maximum-made-exclusive", "pass", "< 1000000 allows less than <= 1000000", [("        maximum: 1000000\n", "        exclusiveMaximum: 1000000\n")]),
  ("minimum-lowered", "fail", "negative totals may arrive", [("        minimum: 0\n", "        minimum: -100\n")]),
  ("minimum-raised", "pass", "a higher minimum promises more", [("        minimum: 1\n", "        minimum: 2\n")]),
  ("minimum-removed", "fail", "any value may arrive", [("        minimum: 1\n", "")]),
  ("minimum-added", "pass", "a bound where there was none promises more", [("          city:\n            type: string\n", "          city:\n            type: string\n            minLength: 1\n")]),
  ("max-length-raised", "fail", "longer texts may arrive", [("        maxLength: 20\n", "        maxLength: 40\n")]),
  ("max-length-lowered", "pass", "shorter texts promise more", [("        maxLength: 20\n", "        maxLength: 15\n")]),
  ("min-length-removed", "fail", "shorter texts may arrive", [("        minLength: 10\n", "")]),
  ("pattern-removed", "fail", "any text may arrive", [("        pattern: ^[^@]+@[^@]+$\n", "")]),
  ("pattern-added", "pass", "a pattern promises more", [("          city:\n            type: string\n", "          city:\n            type: string\n            pattern: ^[A-Z]\n")]),
  ("pattern-changed", "pass", "cannot tell which values the new pattern allows: a note (datacontract-cli: warning)", [("        pattern: ^[^@]+@[^@]+$\n", "        pattern: ^.+@.+$\n")]),
  ("format-changed", "pass", "no check reads a format (datacontract-cli: untested)", [("        format: email\n", "        format: idn-email\n")]),
  ("references-removed", "fail", "values need no longer exist in orders", [("        references: orders.order_id\n", "")]),
  ("references-added", "pass", "a foreign key promises more", [("      quantity:\n        type: integer\n", "      quantity:\n        type: integer\n        references: orders.order_total\n")]),
  ("references-retargeted", "fail", "values now exist in another column", [("        references: orders.order_id\n", "        references: orders.customer_id\n")]),
  ("definition-retyped", "fail", "both order_id fields inherit the new type", [("  order_id:\n    type: string\n    format: uuid\n", "  order_id:\n    type: integer\n    format: uuid\n")]),
  ("nested-field-removed", "fail", "readers of address.city lose it", [("          city:\n            type: string\n", "")]),
  ("description-changed", "pass", "documentation only", [("        description: The email address.\n", "        description: The customer's email address.\n")]),
  ("precision-raised", "fail", "decimal(10,2) to decimal(12,2) changes the type readers bind; datacontract-cli does not compare precision (known disagreement)", [("        precision: 10\n", "        precision: 12\n")]),
  ("version-0.9.3-spelling", "pass", "the same contract in 0.9.3's words (primary for primaryKey); datacontract-cli does not read 0.9's primary and sees the key dropped (known disagreement)", [("dataContractSpecification: 1.2.0\n", "dataContractSpecification: 0.9.3\n"), ("        primaryKey: true\n", "        primary: true\n")]),
]
os.makedirs(out, exist_ok=True)
lines = ["# pair  verdict (fail: datacontract-cli's consumer perspective and lineage diff --fail-on any fail)  why"]
for name, verdict, why, reps in PAIRS:
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    v1, v2 = BASE, BASE
    reverse = reps[:1] == [("REVERSE", "")]
    for old, new in reps[1:] if reverse else reps:
        assert old in v2, (name, old)
        v2 = v2.replace(old, new, 1)
    assert name == "unchanged" or v2 != BASE, name
    if reverse: v1, v2 = v2, v1
    open(os.path.join(d, "v1.yaml"), "w").write(v1)
    open(os.path.join(d, "v2.yaml"), "w").write(v2)
    lines.append(f"{name}  {verdict}  {why}")
open(os.path.join(out, "verdicts.txt"), "w").write("\n".join(lines) + "\n")
print(len(PAIRS), "pairs")
