"""docs/ARCHITECTURE.md against Package.swift (and Benchmarks/Package.swift, whose cckm-bench
has a row too): the module table names every target with its real dependencies, in dependency
order; each type the table or the thread section names is declared
where it says, and every type, member and file the document names exists; each test target is named
after the target it tests; the layering's forbidden arrows exist neither in the manifests nor
as imports; README's repository map names every Swift target."""
import functools
import json
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
# Products of other packages: named in the table's last column, never rows of their own.
EXTERNAL = {"Yams", "Logging", "ArgumentParser"}
# Names of the standard library and Dispatch that the prose mentions.
PLATFORM_TYPES = {"DispatchSemaphore", "Unmanaged"}
# Words the prose sets in code font that are neither types nor targets: HTTP header names.
NOT_TYPES = {"Accept"}
DECLARATION = r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|private|fileprivate|final|indirect)\s+)*(?:struct|enum|class|protocol|typealias|actor)\s+{name}\b"


# Packages whose targets the table lists: the root and the benchmark's, out of the root build.
PACKAGES = [ROOT, ROOT / "Benchmarks"]


@functools.cache
def dump(folder: pathlib.Path) -> dict:
    if shutil.which("swift") is None:
        pytest.skip("swift is not installed")
    out = subprocess.run(["swift", "package", "dump-package"], cwd=folder, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    manifest = json.loads(out.stdout)
    for target in manifest["targets"]:
        target["folder"] = folder
    return manifest


@functools.cache
def package() -> dict:
    """The root manifest, with the other packages' targets added (each knows its folder)."""
    root = dict(dump(ROOT))
    root["targets"] = [t for folder in PACKAGES for t in dump(folder)["targets"]]
    return root


def dependencies(target: dict) -> list[str]:
    names = []
    for dependency in target.get("dependencies", []):
        (kind, value), = dependency.items()
        names.append(value[0])
    return names


def section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def module_rows() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in section("Modules").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        name = re.match(r"`([^`]+)`", cells[0]).group(1)
        deps = [] if cells[2] in ("–", "-", "") else [d.strip() for d in cells[2].split(",")]
        rows.append((name, cells[1], deps))
    return rows


def sources_of(target: dict) -> pathlib.Path:
    folder = target["folder"]
    if target.get("path"):
        return folder / target["path"]
    return folder / ("Tests" if target["type"] == "test" else "Sources") / target["name"]


def declared(name: str, folder: pathlib.Path) -> bool:
    pattern = re.compile(DECLARATION.format(name=re.escape(name)), re.M)
    return any(pattern.search(f.read_text()) for f in folder.rglob("*.swift"))


def test_the_table_names_every_target_but_the_tests_once():
    targets = [t["name"] for t in package()["targets"] if t["type"] != "test"]
    names = [name for name, _, _ in module_rows()]
    assert sorted(names) == sorted(targets)
    assert len(names) == len(set(names))


def test_each_row_lists_the_targets_real_dependencies():
    real = {t["name"]: dependencies(t) for t in package()["targets"]}
    for name, _, deps in module_rows():
        assert sorted(deps) == sorted(real[name]), name


def test_a_target_depends_only_on_targets_above_it():
    seen: set[str] = set()
    for name, _, deps in module_rows():
        later = [d for d in deps if d not in seen and d not in EXTERNAL]
        assert not later, f"{name} depends on {later}, listed below it"
        seen.add(name)


def test_every_type_a_row_names_is_declared_in_that_target():
    targets = {t["name"]: t for t in package()["targets"]}
    for name, purpose, _ in module_rows():
        for type_name in re.findall(r"`([A-Z][A-Za-z0-9]+)`", purpose):
            if type_name in PLATFORM_TYPES or type_name in targets:  # a target named, not a type
                continue
            assert declared(type_name, sources_of(targets[name])), f"{type_name} is not declared in {name}"


def test_every_type_the_thread_section_names_exists():
    for type_name in re.findall(r"`([A-Z][A-Za-z0-9]+)`", section("Threads")):
        if type_name not in PLATFORM_TYPES:
            assert declared(type_name, ROOT / "Sources"), type_name


def test_each_test_target_is_named_after_the_target_it_tests():
    targets = {t["name"]: t for t in package()["targets"]}
    for target in targets.values():
        if target["type"] != "test":
            continue
        tested = target["name"].removesuffix("Tests")
        assert tested in targets, f"{target['name']} tests no target named {tested}"
        assert tested in dependencies(target), f"{target['name']} does not depend on {tested}"


# Arrows the layering forbids, directly or through other targets: the poller knows nothing of
# HTTP or of the pages (it publishes snapshots; the app wires the scrape cache to them); the web
# toolkit knows nothing of metrics, CM or polling; the pages render values without HTTP.
# The server's C shim and library count as server targets: an arrow to them would bypass
# `HTTPServer` and still be one to HTTP serving.
SERVING = {"HTTPServer", "MetricsServer", "WebToolkit", "CMicroHTTPD", "LibMicroHTTPD"}
FORBIDDEN = {
    "Polling": SERVING | {"StatusPages"},
    "WebToolkit": {"MetricsExposition", "JobMetrics", "CMWire", "CCKMClient", "Polling"},
    "StatusPages": SERVING | {"Polling", "CCKMClient"},
}


def reachable(name: str, real: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(real.get(name, []))
    while stack:
        dependency = stack.pop()
        if dependency not in seen:
            seen.add(dependency)
            stack.extend(real.get(dependency, []))
    return seen


@pytest.mark.parametrize("target", sorted(FORBIDDEN))
def test_no_forbidden_arrow(target):
    real = {t["name"]: dependencies(t) for t in package()["targets"]}
    assert target in real
    assert not reachable(target, real) & FORBIDDEN[target], sorted(reachable(target, real) & FORBIDDEN[target])


# SwiftPM lets a file import a module that its target does not declare when the build happens
# to have built it first, so an arrow can exist in the sources while the manifest shows none.
IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?(\w+)",
    re.M)


@pytest.mark.parametrize("target", sorted(FORBIDDEN))
def test_no_forbidden_import(target):
    targets = {t["name"]: t for t in package()["targets"]}
    real = {name: dependencies(t) for name, t in targets.items()}
    for name in ({target} | reachable(target, real)) & targets.keys():
        for source in sources_of(targets[name]).rglob("*.swift"):
            imported = set(IMPORT.findall(source.read_text())) & FORBIDDEN[target]
            assert not imported, f"{source.relative_to(ROOT)} imports {sorted(imported)}"


def test_every_type_the_document_names_exists():
    targets = {t["name"] for t in package()["targets"]}
    text = DOC.read_text()
    # `Name`, `Name.member`, `Name(...)`, but not a file name such as `Name.swift`.
    named = set(re.findall(r"`([A-Z][A-Za-z0-9]+)(?![A-Za-z0-9]*\.(?:swift|c|h|md)`)(?:[.(][^`]*)?`", text))
    for type_name in sorted(named - targets - PLATFORM_TYPES - NOT_TYPES):
        assert any(declared(type_name, ROOT / folder) for folder in ("Sources", "Tests", "Benchmarks/Sources")), \
            f"docs/ARCHITECTURE.md names {type_name}, which no source declares"


def test_every_member_the_document_names_exists():
    """`Type.member` (a method, property or case): some source declares a member of that name
    (not necessarily on that type: enough to catch a rename the prose missed)."""
    sources = "\n".join(p.read_text() for folder in ("Sources", "Tests", "Benchmarks/Sources")
                        for p in (ROOT / folder).rglob("*.swift"))
    members = set(re.findall(r"`[A-Z][A-Za-z0-9]+\.([a-z][A-Za-z0-9]*)", DOC.read_text()))
    for member in sorted(members - {"swift", "c", "h", "md"}):
        assert re.search(rf"\b(?:func|var|let|case)\s+{member}\b", sources), \
            f"docs/ARCHITECTURE.md names .{member}, which no source declares"


TRACKED = [p for folder in ("Sources", "Tests", "Benchmarks/Sources", "Fuzz", "scripts")
           for p in (ROOT / folder).rglob("*") if p.is_file()]


@pytest.mark.parametrize("doc", ["docs/ARCHITECTURE.md", "README.md", "Sources/WebToolkit/README.md"])
def test_every_source_file_a_document_names_exists(doc):
    named = set(re.findall(r"`(?:[^`]*/)?([A-Za-z0-9_+.-]+\.(?:swift|c|h))`", (ROOT / doc).read_text()))
    names = {p.name for p in TRACKED}
    missing = sorted(named - names)
    assert not missing, f"{doc} names {missing}, which no file is"


def test_the_readme_map_names_every_swift_target():
    row = next(line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("| `Sources/`"))
    named = set(re.findall(r"`([^`]+)`", row))
    swift = [t["name"] for t in dump(ROOT)["targets"]
             if t["type"] != "test" and not t.get("path") and any(sources_of(t).rglob("*.swift"))]
    assert sorted(set(swift) - named) == []
