#!/usr/bin/env bash
# Known vulnerabilities in the installed packages (pip-audit, PyPI advisory data).
# Fails on a real finding; only warns when the advisory service cannot be reached.
set -uo pipefail
cd "$(dirname "$0")/.."

# Advisories accepted on purpose, each with its reason (none today), e.g.:
#   --ignore-vuln GHSA-xxxx-xxxx-xxxx  # only affects the X feature, which we do not use
IGNORED=()

report=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$report" "$errors"' EXIT

.venv/bin/pip-audit --skip-editable --progress-spinner off --format json --output "$report" \
    "${IGNORED[@]}" 2>"$errors"
status=$?

if [ ! -s "$report" ]; then
    # No report: the advisory service could not be used (network, proxy, mirror without
    # the JSON API...). That is not a finding about our dependencies: warn loudly.
    echo "WARNING: pip-audit produced no report (exit $status); dependencies NOT audited:" >&2
    tail -n 5 "$errors" >&2
    exit 0
fi

.venv/bin/python - "$report" <<'PY'
import json
import sys

dependencies = json.load(open(sys.argv[1]))["dependencies"]
audited = [d for d in dependencies if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
actionable = 0
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = vuln.get("fix_versions") or []
        if fixes:
            actionable += 1
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {', '.join(fixes)})")
        else:  # nothing to upgrade to yet: reported, not failed on
            print(
                f"WARNING: {dependency['name']} {dependency['version']}: {vuln['id']} "
                "(no fixed release yet)",
                file=sys.stderr,
            )
if actionable:
    sys.exit(1)
if not audited:
    print(
        "WARNING: the advisory service answered for none of the "
        f"{len(dependencies)} packages; dependencies NOT audited.",
        file=sys.stderr,
    )
else:
    skipped = len(dependencies) - len(audited)
    print(f"No known vulnerabilities in {len(audited)} packages ({skipped} not on PyPI).")
PY
