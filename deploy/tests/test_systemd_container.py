"""The systemd unit (hardened, credential-based, accepted by systemd-analyze) and the container
image file (multi-stage, non-root, the runtime libraries the binary really links)."""
import re
import shlex
import subprocess

import pytest

from ops_contract import (CONTRACT_FLAGS, DEFAULT_PORT, DEPLOY, exporter_binary, flags_in, require_tool)

UNIT = DEPLOY / "systemd" / "cckm_exporter.service"
DEFAULTS = DEPLOY / "systemd" / "cckm_exporter.default"
CONTAINERFILE = DEPLOY / "container" / "Containerfile"


def unit_settings():
    """Directive → list of values, for the [Service] section."""
    settings, section = {}, None
    for line in UNIT.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif line and not line.startswith("#") and section == "[Service]":
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def exec_path_for_verify():
    """systemd-analyze verify wants an existing executable: the built exporter, or /bin/true."""
    built = exporter_binary()
    return str(built) if built else "/bin/true"


def test_systemd_analyze_verify_reports_nothing(tmp_path):
    unit = tmp_path / "cckm_exporter.service"
    unit.write_text(UNIT.read_text().replace("/usr/local/bin/cckm_exporter", exec_path_for_verify()))
    out = subprocess.run([require_tool("systemd-analyze"), "verify", str(unit)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stderr.strip() == "", out.stderr


def test_systemd_security_exposure_is_low(tmp_path):
    unit = tmp_path / "cckm_exporter.service"
    unit.write_text(UNIT.read_text().replace("/usr/local/bin/cckm_exporter", exec_path_for_verify()))
    # Exposure 0.0 (locked down) … 10.0 (unprotected), times ten: 15 means "1.5 OK".
    out = subprocess.run([require_tool("systemd-analyze"), "security", "--offline=yes",
                          "--threshold=15", str(unit)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr


def test_unit_is_hardened_with_a_dedicated_user_and_credentials():
    s = unit_settings()
    assert s["DynamicUser"] == ["yes"] and s["User"] == ["cckm_exporter"]
    for key, value in {"ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes",
                       "ProtectHome": "yes", "CapabilityBoundingSet": ""}.items():
        assert s[key] == [value], key
    assert "@system-service" in s["SystemCallFilter"]
    assert s["RestrictAddressFamilies"] == ["AF_INET AF_INET6 AF_UNIX"]
    assert s["LoadCredential"] == ["password:/etc/cckm_exporter/password"]
    assert "--cm.password-file=${CREDENTIALS_DIRECTORY}/password" in s["ExecStart"][0]
    assert s["ExecReload"] == ["/bin/kill -HUP $MAINPID"]


def test_no_secret_travels_as_a_flag_value():
    for text in (UNIT.read_text(), DEFAULTS.read_text()):
        assert "--cm.password=" not in text and "CCKM_PASSWORD=" not in text


def test_defaults_file_is_one_shell_assignment_of_known_flags():
    lines = [l for l in DEFAULTS.read_text().splitlines() if l and not l.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith("CCKM_EXPORTER_ARGS=")
    # systemd strips the quotes, then splits the unquoted $CCKM_EXPORTER_ARGS at whitespace.
    args = shlex.split(lines[0].partition("=")[2])[0].split()
    assert all(arg.startswith("--") for arg in args)
    assert f"--web.listen-address=:{DEFAULT_PORT}" in args
    assert "$CCKM_EXPORTER_ARGS" in unit_settings()["ExecStart"][0]


def containerfile_stages():
    stages, current = [], None
    for line in CONTAINERFILE.read_text().replace("\\\n", " ").splitlines():
        line = line.strip()
        if line.startswith("FROM "):
            current = {"from": line.split()[1], "lines": []}
            stages.append(current)
        elif line and not line.startswith("#") and current is not None:
            current["lines"].append(line)
    return stages


def test_container_builds_with_swift_63_and_runs_on_bookworm_slim():
    build, runtime = containerfile_stages()
    assert re.fullmatch(r"(docker\.io/library/)?swift:6\.3-bookworm", build["from"].split()[0])
    build_text = " ".join(build["lines"])
    for package in ("libmicrohttpd-dev", "libcurl4-openssl-dev"):
        assert package in build_text
    assert "swift build -c release --static-swift-stdlib" in build_text
    assert re.fullmatch(r"(docker\.io/library/)?debian:bookworm-slim", runtime["from"])


def runtime_packages():
    runtime = containerfile_stages()[1]
    install = next(l for l in runtime["lines"] if "apt-get install" in l)
    words = install.split("apt-get install", 1)[1].split("&&")[0].split()
    return {w for w in words if not w.startswith("-")}


def test_runtime_image_installs_the_shared_libraries_and_certificates():
    assert {"libmicrohttpd12", "libcurl4", "ca-certificates"} <= runtime_packages()


def test_runtime_image_is_non_root_exposes_the_port_and_checks_health():
    runtime = containerfile_stages()[1]
    text = "\n".join(runtime["lines"])
    user = next(l for l in runtime["lines"] if l.startswith("USER ")).split()[1]
    assert user.split(":")[0] not in ("0", "root")
    assert f"EXPOSE {DEFAULT_PORT}" in runtime["lines"]
    assert re.search(rf"HEALTHCHECK .*http://127\.0\.0\.1:{DEFAULT_PORT}/-/healthy", text)
    assert "curl" in runtime_packages()  # the health check's client
    copied_to = next(l for l in runtime["lines"] if l.startswith("COPY --from=build")).split()[-1]
    assert f'ENTRYPOINT ["{copied_to}"]' in runtime["lines"]


def test_container_default_command_uses_contract_flags():
    runtime = containerfile_stages()[1]
    command = next(l for l in runtime["lines"] if l.startswith("CMD "))
    assert flags_in(command) and flags_in(command) <= set(CONTRACT_FLAGS)


def package_owning(library):
    """The Debian package shipping `library`, under /usr or not (bookworm merged /usr)."""
    bare = library[len("/usr"):] if library.startswith("/usr/") else library
    for candidate in (library, bare, "/usr" + bare):
        out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.split(":")[0]
    return None


def test_runtime_packages_provide_every_non_swift_library_the_binary_links():
    """ldd of the built exporter: each shared library outside the Swift runtime (which the image
    links statically) must come from a package installed in the runtime stage or from
    bookworm-slim itself."""
    binary = exporter_binary()
    if binary is None:
        pytest.skip("exporter not built (set CCKM_EXPORTER_BIN)")
    base_image = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=30, check=True)
    libraries = re.findall(r"=> (/\S+)", out.stdout)
    needed = set()
    for library in libraries:
        if "swift" in library or "/usr/lib/swift" in library or "toolchain" in library:
            continue
        owner = package_owning(library)
        assert owner is not None, f"{library} belongs to no Debian package"
        needed.add(owner)
    direct = {p for p in needed if p.startswith(("libmicrohttpd", "libcurl"))}
    assert direct == {"libmicrohttpd12", "libcurl4"}
    # The rest come in as dependencies of those two or with the base image.
    deps = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                           "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                           "libmicrohttpd12", "libcurl4"], capture_output=True, text=True, timeout=60)
    closure = set(re.findall(r"^(\S+)$", deps.stdout, re.M)) | set(re.findall(r"Depends: <?([\w.+-]+)", deps.stdout))
    missing = {p for p in needed if p not in runtime_packages() | base_image | closure}
    assert not missing, f"runtime stage lacks {missing}"


def test_build_context_filter_keeps_what_the_build_stage_copies():
    ignore = (DEPLOY / "container" / "Containerfile.dockerignore").read_text().splitlines()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert "*" in ignore  # everything else (build folders, .git) stays out of the context
    build = containerfile_stages()[0]
    for line in build["lines"]:
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert source.replace("*", "swift") in kept or source.replace("*", "resolved") in kept, source
