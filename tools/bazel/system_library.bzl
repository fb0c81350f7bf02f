"""Debian's system libraries as Bazel repositories (nothing downloaded).

`system_library` links a library's header folders into a repository and adds
a BUILD overlay from tools/bazel/. `system_absl` does the same for Abseil and
writes one cc_library per upstream label (`@com_google_absl//absl/strings`,
`//absl/strings:str_format`, ...) whose link flags come from pkg-config, so a
monorepo that builds Abseil from source can substitute its own copy.
"""

def _system_library_impl(rctx):
    rctx.file("WORKSPACE", "")
    for dest, src in rctx.attr.headers.items():
        if not rctx.path(src).exists:
            fail("%s: %s is missing; run tools/bootstrap.sh" % (rctx.name, src))
        rctx.symlink(src, dest)
    rctx.symlink(rctx.attr.build_file, "BUILD.bazel")

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {
        "headers": attr.string_dict(doc = "repository path -> system header folder"),
        "build_file": attr.label(allow_single_file = True, mandatory = True),
    },
    local = True,
)

# Upstream package -> the cc_library targets it holds (the pkg-config module of
# target T is absl_T). The public Abseil targets a client library needs.
_ABSL_PACKAGES = {
    "absl/algorithm": ["algorithm", "container"],
    "absl/base": ["base", "config", "core_headers", "endian", "log_severity"],
    "absl/cleanup": ["cleanup"],
    "absl/container": [
        "btree",
        "fixed_array",
        "flat_hash_map",
        "flat_hash_set",
        "inlined_vector",
        "node_hash_map",
        "node_hash_set",
    ],
    "absl/functional": ["any_invocable", "bind_front", "function_ref"],
    "absl/hash": ["hash"],
    "absl/memory": ["memory"],
    "absl/meta": ["type_traits"],
    "absl/numeric": ["bits", "int128"],
    "absl/random": ["bit_gen_ref", "distributions", "random"],
    "absl/status": ["status", "statusor"],
    "absl/strings": ["cord", "str_format", "strings"],
    "absl/synchronization": ["synchronization"],
    "absl/time": ["time"],
    "absl/types": ["any", "optional", "span", "variant"],
    "absl/utility": ["utility"],
}

# Targets whose pkg-config module is not named absl_<target>.
_ABSL_PKG_CONFIG_NAME = {
    "absl/algorithm:container": "absl_algorithm_container",
    "absl/random:bit_gen_ref": "absl_random_bit_gen_ref",
    "absl/random:distributions": "absl_random_distributions",
    "absl/random:random": "absl_random_random",
}

def _system_absl_impl(rctx):
    rctx.file("WORKSPACE", 'workspace(name = "%s")\n' % rctx.name)
    if not rctx.path("/usr/include/absl").exists:
        fail("Abseil headers are missing; run tools/bootstrap.sh")
    rctx.symlink("/usr/include/absl", "include/absl")
    rctx.file("BUILD.bazel", """cc_library(
    name = "headers",
    hdrs = glob(["include/absl/**/*.h", "include/absl/**/*.inc"]),
    includes = ["include"],
    visibility = ["//absl:__subpackages__"],
)
""")
    for package, targets in _ABSL_PACKAGES.items():
        rules = []
        for target in targets:
            module = _ABSL_PKG_CONFIG_NAME.get(package + ":" + target, "absl_" + target)
            result = rctx.execute(["pkg-config", "--libs", module])
            if result.return_code != 0:
                fail("pkg-config %s failed (run tools/bootstrap.sh): %s" % (module, result.stderr))
            rules.append("""cc_library(
    name = "%s",
    deps = ["//:headers"],
    linkopts = %r,
    visibility = ["//visibility:public"],
)
""" % (target, result.stdout.strip().split(" ")))
        rctx.file(package + "/BUILD.bazel", "\n".join(rules))

system_absl = repository_rule(implementation = _system_absl_impl, local = True)
