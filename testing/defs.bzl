"""Test and benchmark macros for code that needs a PostgreSQL server.

    load("//testing:defs.bzl", "pg_cc_benchmark", "pg_cc_test")

    pg_cc_test(
        name = "connection_test",
        srcs = ["connection_test.cc"],
        deps = [":connection"],
    )

pg_cc_test is a cc_test that links //testing:database (DatabaseTest, the
shared ephemeral server) and gtest_main, tagged "no-sandbox" because starting
a server as root needs chown, which Bazel's sandbox forbids. pg_cc_benchmark
is a cc_binary with //testing:benchmark_main (run it with `bazel run -c opt`).
"""

def _absolute(label):
    """`label` in the //pkg:name form, for comparing deps written differently."""
    if label.startswith(":"):
        return "//%s%s" % (native.package_name(), label)
    if label.startswith("//") and ":" not in label:
        return "%s:%s" % (label, label.split("/")[-1])
    return label

def _merge(values, extra):
    """`values` + the `extra` entries not already in it (deps compared as labels)."""
    seen = [_absolute(v) for v in values]
    merged = list(values)
    for e in extra:
        if _absolute(e) not in seen:
            merged.append(e)
            seen.append(_absolute(e))
    return merged

# Labels of this repository, spelled so they resolve when pgcpp is an external repository.
_DATABASE = str(Label("//testing:database"))
_BENCHMARK_MAIN = str(Label("//testing:benchmark_main"))

def pg_cc_test(name, srcs, deps = [], **kwargs):
    """A cc_test against a real server (see the file's docstring)."""
    kwargs.setdefault("size", "medium")
    kwargs["tags"] = _merge(kwargs.pop("tags", []), ["no-sandbox"])
    native.cc_test(
        name = name,
        srcs = srcs,
        deps = _merge(deps, [_DATABASE, "@com_google_googletest//:gtest_main"]),
        **kwargs
    )

def pg_cc_benchmark(name, srcs, deps = [], **kwargs):
    """A Google Benchmark binary whose main() provides benchmark_dsn()."""
    kwargs["tags"] = _merge(kwargs.pop("tags", []), ["benchmark"])
    kwargs.setdefault("testonly", True)
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = _merge(deps, [_BENCHMARK_MAIN]),
        **kwargs
    )
