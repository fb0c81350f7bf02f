"""Tiny stand-ins for the rule repositories Bazel 4.2.3's @bazel_tools loads.

Bazel 4.2.3 normally downloads rules_cc, rules_java, rules_proto and
remote_coverage_tools; offline, these generated repositories bind the native
rules instead (see ../shared/design/BAZEL_OFFLINE.md). They are written by a
repository rule rather than kept as folders so that a consumer workspace gets
them from `pgcpp_dependencies()` without knowing where pgcpp lives.
"""

def _bind(names):
    return "".join(["%s = native.%s\n" % (n, n) for n in names])

_FILES = {
    "rules_cc": {
        "cc/BUILD": "",
        "cc/defs.bzl": _bind([
            "cc_binary",
            "cc_import",
            "cc_library",
            "cc_proto_library",
            "cc_test",
            "cc_toolchain",
            "cc_toolchain_suite",
            "fdo_prefetch_hints",
            "fdo_profile",
            "objc_import",
            "objc_library",
        ]),
    },
    "rules_java": {
        "java/BUILD": "",
        "java/defs.bzl": _bind([
            "java_binary",
            "java_import",
            "java_library",
            "java_runtime",
            "java_test",
            "java_toolchain",
        ]),
    },
    "rules_proto": {
        "proto/BUILD": "",
        "proto/defs.bzl": _bind(["proto_library"]),
    },
    "remote_coverage_tools": {
        "BUILD": "\n".join([
            'filegroup(name = "%s", visibility = ["//visibility:public"])' % n
            for n in ["coverage_report_generator", "lcov_merger", "Main"]
        ]) + "\n",
    },
}

def _shim_repository_impl(rctx):
    rctx.file("WORKSPACE", 'workspace(name = "%s")\n' % rctx.attr.kind)
    files = _FILES[rctx.attr.kind]
    if "BUILD" not in files:
        rctx.file("BUILD", "")
    for path, content in files.items():
        rctx.file(path, content)

shim_repository = repository_rule(
    implementation = _shim_repository_impl,
    attrs = {"kind": attr.string(mandatory = True, values = _FILES.keys())},
    local = True,
)
