#!/usr/bin/env bash
# readme_examples.py: what it generates from setup/check comments, and the
# Markdown mistakes it refuses (so a misplaced comment fails the build instead
# of silently dropping an example's setup or checks).
set -uo pipefail
extractor=docs/readme_examples.py
dir=$TEST_TMPDIR
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect_generated NAME: $dir/NAME.md must generate a .cc containing every line of $dir/NAME.want, in order.
expect_generated() {
  local name=$1
  if ! python3 "$extractor" "$dir/$name.md" "$dir/$name.cc" 2>"$dir/$name.err"; then
    fail "$name: refused: $(cat "$dir/$name.err")"
    return
  fi
  local position=0 line found
  while IFS= read -r line; do
    found=$(tail -n +"$((position + 1))" "$dir/$name.cc" | grep -nxF -m1 -- "$line" | cut -d: -f1)
    if [[ -z "$found" ]]; then
      fail "$name: '$line' missing (or out of order) in:"
      cat "$dir/$name.cc"
      return
    fi
    position=$((position + found))
  done <"$dir/$name.want"
}

# expect_refused NAME MESSAGE: $dir/NAME.md must be refused with MESSAGE on stderr.
expect_refused() {
  local name=$1 message=$2
  if python3 "$extractor" "$dir/$name.md" "$dir/$name.cc" 2>"$dir/$name.err"; then
    fail "$name: accepted"
  elif ! grep -qF -- "$message" "$dir/$name.err"; then
    fail "$name: expected '$message', got: $(cat "$dir/$name.err")"
  fi
}

cat >"$dir/basic.md" <<'MD'
# Using it

## Two (`//core`)

<!-- example setup
#include <map>
int x = 0;
-->
```cpp
#include "pgcpp/core/connection.h"
x = 42;   // 42
```

<!-- example check
EXPECT_EQ(x, 42);
-->

```sh
echo not C++
```

```c++
int z = 3;
```
MD
cat >"$dir/basic.want" <<'WANT'
#include "docs/readme_examples_fixture.h"
#include <map>
#include "pgcpp/core/connection.h"
TEST_F(ReadmeExamples, Line9_TwoCore) {
int x = 0;
x = 42;   // 42
EXPECT_EQ(x, 42);
}
TEST_F(ReadmeExamples, Line22_TwoCore) {
int z = 3;
}
WANT
expect_generated basic
grep -q 'echo not C++' "$dir/basic.cc" && fail "basic: a sh block became C++"
grep -qF "#line 11 \"$dir/basic.md\"" "$dir/basic.cc" || fail "basic: no #line for the block's first code line"

cat >"$dir/wrapped.md" <<'MD'
<!-- example setup
auto f = [&] {
{{example}}
};
f();
-->
```cpp
int y = 1;
```
MD
cat >"$dir/wrapped.want" <<'WANT'
auto f = [&] {
int y = 1;
};
f();
WANT
expect_generated wrapped

printf '<!-- example setup\nint x;\n-->\nText between.\n```cpp\nx = 1;\n```\n' >"$dir/detached.md"
expect_refused detached "an example setup must precede a cpp block"
printf '```cpp\nint x;\n```\nText.\n<!-- example check\nEXPECT_EQ(1, 1);\n-->\n' >"$dir/stray_check.md"
expect_refused stray_check "an example check must follow a cpp block"
printf '<!-- example setpu\nint x;\n-->\n```cpp\nx = 1;\n```\n' >"$dir/typo.md"
expect_refused typo "unknown example comment"
printf '<!-- example setup\nint x;\n```cpp\nx = 1;\n```\n' >"$dir/unterminated.md"
expect_refused unterminated "unterminated <!-- example setup"
printf '# Nothing\n```sh\nls\n```\n' >"$dir/none.md"
expect_refused none "no cpp block"

if [[ $failures -ne 0 ]]; then exit 1; fi
echo "PASS"
