#!/usr/bin/env bash
# Fails when a component depends on one above it, or on an external repository
# it should not need. The order (README, "Components"):
#   adapt < core < {tpc, notify, pool} < aio < tools; testing serves tests, benchmarks and tools;
#   bench (the W1–W5 workloads) sits on the components and serves benchmarks and tools.
# Only production targets are checked: tests, their helpers (testonly) and
# benchmarks (*_benchmark) may use //testing and Google Benchmark.
set -uo pipefail
cd "$(dirname "$0")/.."

# component | forbidden packages of ours | allowed external repositories
rules=(
  "adapt|bench|core|tpc|notify|pool|aio|tools|testing|com_google_absl|com_googlesource_code_re2"
  "core|bench|tpc|notify|pool|aio|tools|testing|com_google_absl|com_googlesource_code_re2|libpq"
  "tpc|bench|notify|pool|aio|tools|testing|com_google_absl|com_googlesource_code_re2|libpq"
  "notify|bench|tpc|pool|aio|tools|testing|com_google_absl|com_googlesource_code_re2|libpq"
  "pool|bench|tpc|notify|aio|tools|testing|com_google_absl|com_googlesource_code_re2|libpq"
  "aio|bench|tools|testing|com_google_absl|com_googlesource_code_re2|libpq"
  "bench|aio|tools|testing|com_google_absl|com_googlesource_code_re2|libpq|com_github_google_benchmark"
)
ours="adapt|core|tpc|notify|pool|aio|bench|tools|testing"
failures=0
for rule in "${rules[@]}"; do
  IFS='|' read -r -a parts <<<"$rule"
  component=${parts[0]}
  forbidden=() allowed_ext=()
  for p in "${parts[@]:1}"; do
    if [[ "|$ours|" == *"|$p|"* ]]; then forbidden+=("$p"); else allowed_ext+=("$p"); fi
  done
  [[ -d "$component" ]] || continue
  deps=$(bazel query --noshow_progress \
    "deps(attr(testonly, 0, kind('cc_library|cc_binary', //$component/...)) except attr(name, '_benchmark$', //$component/...))" 2>/dev/null) || {
    echo "layering: bazel query failed for //$component" >&2; failures=$((failures + 1)); continue; }
  bad_ours=$(grep -E "^//($(IFS='|'; echo "${forbidden[*]}"))[/:]" <<<"$deps" || true)
  bad_ext=$(grep -E '^@' <<<"$deps" | grep -vE "^@($(IFS='|'; echo "${allowed_ext[*]}")|bazel_tools|local_config_[a-z_]+|rules_cc)//" || true)
  if [[ -n "$bad_ours$bad_ext" ]]; then
    echo "layering: //$component depends on what it must not:" >&2
    echo "$bad_ours$bad_ext" | sed '/^$/d; s/^/  /' | head -10 >&2
    failures=$((failures + 1))
  fi
done
if [[ $failures -ne 0 ]]; then exit 1; fi
echo "layering: ok"
