#!/usr/bin/env python3
"""Turns every ```cpp block of a Markdown file into a GoogleTest test.

    readme_examples.py README.md out.cc

Each block becomes TEST_F(ReadmeExamples, Line<N>_<Section>), N being the line
of its opening fence. Blocks are shown to readers as they are; what a fragment
needs to run (tables, variables, a connection) and what it claims (results
stated in its comments) go in HTML comments, which GitHub does not display:

    <!-- example setup
    auto conn = pgcpp::Connection::connect("dbname=app");
    -->
    ```cpp
    std::string sql = cc.mogrify("SELECT %s", 1);   // SELECT 1
    ```
    <!-- example check
    EXPECT_EQ(sql, "SELECT 1");
    -->

A `setup` comment must come right before the opening fence and a `check`
comment right after the closing one (blank lines allowed). Setup, block and
check share one scope, in that order; a setup line that is just `{{example}}`
places the block there instead, for blocks that must run inside something
(a coroutine, a lambda):

    <!-- example setup
    run_coroutine([&]() -> pgcpp::aio::Task<void> {
    {{example}}
    });
    -->
 `#include` lines of all three are moved
to the top of the file. `#line` directives make compiler errors point at the
Markdown file. The fixture (readme_examples_fixture.h) gives every test a
server and the libpq environment the examples assume.
"""

import re
import sys

FENCE = re.compile(r"^```(\S*)\s*$")
CPP = ("cpp", "c++", "cc")  # the fence languages taken as C++
HEADING = re.compile(r"^#+\s+(.*)$")


class Block:
    def __init__(self, line, section):
        self.line = line  # 1-based line of the opening fence
        self.section = section
        self.code = []  # (line number, text)
        self.setup = []
        self.check = []


def read_comment(lines, start, keyword):
    """The lines inside `<!-- example KEYWORD ... -->` opening at `start`, and its end index."""
    first = lines[start].strip()
    if not first.startswith("<!-- example " + keyword):
        raise SystemExit("line %d: expected <!-- example %s" % (start + 1, keyword))
    body = []
    rest = first[len("<!-- example " + keyword):]
    i = start
    while True:
        text = rest if i == start else lines[i]
        if "-->" in text:
            before = text.split("-->")[0]
            if before.strip():
                body.append((i + 1, before))
            return body, i
        if i != start or text.strip():
            body.append((i + 1, text))
        i += 1
        if i >= len(lines):
            raise SystemExit("line %d: unterminated <!-- example %s" % (start + 1, keyword))


def parse(lines):
    blocks = []
    section = "Top"
    pending_setup = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        heading = HEADING.match(line)
        fence = FENCE.match(line)
        if heading:
            section = heading.group(1)
        if stripped.startswith("<!-- example setup"):
            pending_setup, i = read_comment(lines, i, "setup")
        elif stripped.startswith("<!-- example check"):
            raise SystemExit("line %d: an example check must follow a cpp block" % (i + 1))
        elif stripped.startswith("<!-- example"):
            raise SystemExit("line %d: unknown example comment: %s" % (i + 1, stripped))
        elif fence:
            language = fence.group(1)
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            if end == len(lines):
                raise SystemExit("line %d: unterminated code block" % (i + 1))
            if language in CPP:
                block = Block(i + 1, section)
                block.setup = pending_setup or []
                block.code = [(n + 1, lines[n]) for n in range(i + 1, end)]
                j = end + 1
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines) and lines[j].strip().startswith("<!-- example check"):
                    block.check, end = read_comment(lines, j, "check")
                blocks.append(block)
            elif pending_setup is not None:
                raise SystemExit("line %d: an example setup must precede a cpp block" % (i + 1))
            pending_setup = None
            i = end
        elif stripped and pending_setup is not None:
            raise SystemExit("line %d: an example setup must precede a cpp block" % (i + 1))
        i += 1
    return blocks


def test_name(block):
    words = re.findall(r"[A-Za-z0-9]+", block.section)
    return "Line%d_%s" % (block.line, "".join(w[:1].upper() + w[1:] for w in words))


def generate(markdown_path, blocks):
    includes = []
    bodies = []
    for block in blocks:
        out = ["TEST_F(ReadmeExamples, %s) {" % test_name(block)]
        marker = [i for i, (_, text) in enumerate(block.setup) if text.strip() == "{{example}}"]
        if len(marker) > 1:
            raise SystemExit("line %d: more than one {{example}}" % block.setup[marker[1]][0])
        if marker:
            parts = (block.setup[:marker[0]], block.code, block.setup[marker[0] + 1:], block.check)
        else:
            parts = (block.setup, block.code, block.check)
        for part in parts:
            previous = None
            for number, text in part:
                if text.lstrip().startswith("#include"):
                    if text.strip() not in includes:
                        includes.append(text.strip())
                    continue
                if previous is None or number != previous + 1:
                    out.append('#line %d "%s"' % (number, markdown_path))
                out.append(text)
                previous = number
        out.append("}")
        bodies.append("\n".join(out))
    header = [
        "// Generated from %s by docs/readme_examples.py: do not edit." % markdown_path,
        '#include "docs/readme_examples_fixture.h"',
    ] + includes
    return "\n".join(header) + "\n\n" + "\n\n".join(bodies) + "\n"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: readme_examples.py README.md out.cc")
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = parse(lines)
    if not blocks:
        raise SystemExit("%s: no cpp block" % sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(generate(sys.argv[1], blocks))


if __name__ == "__main__":
    main()
