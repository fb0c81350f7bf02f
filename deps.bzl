"""pgcpp's external repositories, for pgcpp itself and for consumers.

A consumer's WORKSPACE needs three lines:

    local_repository(name = "pgcpp", path = "/path/to/pgcpp")  # or http_archive
    load("@pgcpp//:deps.bzl", "pgcpp_dependencies")
    pgcpp_dependencies()

Every repository is skipped when the caller already declared one of that name,
so a monorepo that builds Abseil, GoogleTest, Benchmark or re2 from source
keeps its own. Nothing is downloaded: the libraries are Debian's packages,
installed by tools/bootstrap.sh.
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//tools/bazel:shim_repository.bzl", "shim_repository")
load("//tools/bazel:system_library.bzl", "system_absl", "system_library")

def pgcpp_dependencies():
    for kind in ["rules_cc", "rules_java", "rules_proto", "remote_coverage_tools"]:
        maybe(shim_repository, name = kind, kind = kind)

    maybe(
        system_library,
        name = "libpq",
        headers = {"include": "/usr/include/postgresql"},
        build_file = Label("//tools/bazel:libpq.BUILD"),
    )
    maybe(system_absl, name = "com_google_absl")
    maybe(
        system_library,
        name = "com_google_googletest",
        headers = {"include/gtest": "/usr/include/gtest", "include/gmock": "/usr/include/gmock"},
        build_file = Label("//tools/bazel:googletest.BUILD"),
    )
    maybe(
        system_library,
        name = "com_github_google_benchmark",
        headers = {"include/benchmark": "/usr/include/benchmark"},
        build_file = Label("//tools/bazel:benchmark.BUILD"),
    )
    maybe(
        system_library,
        name = "com_googlesource_code_re2",
        headers = {"include/re2": "/usr/include/re2"},
        build_file = Label("//tools/bazel:re2.BUILD"),
    )
