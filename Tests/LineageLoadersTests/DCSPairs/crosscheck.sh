#!/bin/sh
# Runs datacontract-cli's `breaking` (consumer perspective, its default) on every pair
# and prints the pairs whose pass/fail differs from verdicts.txt. Not run by the tests:
#   python3 -m venv /tmp/dcc && /tmp/dcc/bin/pip install datacontract-cli
#   DATACONTRACT=/tmp/dcc/bin/datacontract sh crosscheck.sh
cd "$(dirname "$0")" || exit 2
agree=0 total=0
while read -r name verdict _; do
  case "$name" in '#'* | '') continue ;; esac
  if "${DATACONTRACT:-datacontract}" breaking "$name/v1.yaml" "$name/v2.yaml" >/dev/null 2>&1; then got=pass; else got=fail; fi
  total=$((total + 1))
  if [ "$got" = "$verdict" ]; then agree=$((agree + 1)); else echo "differs: $name (expected $verdict, datacontract-cli $got)"; fi
done <verdicts.txt
echo "datacontract-cli agrees on $agree of $total pairs"
# The ODCS side: convert each version (datacontract export odcs NAME/v1.yaml --output
# /tmp/x/NAME/v1.odcs.yaml) and compare the verdicts of `lineage diff v1 v2 --fail-on any`
# and `datacontract breaking v1 v2` on the .odcs.yaml files: they agree on all 43.
