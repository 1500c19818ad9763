"""The built artifacts: deterministic zips, what they hold, a Lambda zip that imports cleanly."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from deploy.lambda_footprint import clean_venv_with_boto3, extract, task_environment
from deploy.package import (
    GLUE_SCRIPT_NAME,
    REPO_ROOT,
    ZIP_EPOCH,
    Artifact,
    build_glue_package_zip,
    build_lambda_zip,
    export_lock,
    lambda_package_names,
    locked_pins,
    read_manifest,
    sha256_of,
    tree_files,
    write_zip,
)


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


EXPORTED = """\
numpy==2.4.6 ; python_full_version < '3.12' \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
numpy==2.5.5 ; python_full_version >= '3.12' \\
    --hash=sha256:ccc
requests==2.34.2 \\
    --hash=sha256:ddd
colorama==0.4.6 ; sys_platform == 'win32' \\
    --hash=sha256:eee
"""


def test_locked_pins_take_the_version_whose_markers_hold_for_the_lambdas_python() -> None:
    assert locked_pins(EXPORTED, ["numpy", "requests"]) == [
        "numpy==2.5.5 --hash=sha256:ccc",
        "requests==2.34.2 --hash=sha256:ddd",
    ]


def test_a_package_the_lock_does_not_pin_for_the_lambda_stops_the_build() -> None:
    with pytest.raises(RuntimeError, match="pins no colorama, idna for the Lambda's Python"):
        locked_pins(EXPORTED, ["colorama", "idna", "requests"])


def test_the_lock_pins_every_package_of_the_lambda_extra_with_its_hashes() -> None:
    extra = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["lambda"]
    pins = locked_pins(export_lock(), lambda_package_names())
    assert [pin.split("==")[0] for pin in pins] == sorted(
        line.split("==")[0].lower() for line in extra
    )
    assert "spotipy==2.26.0 --hash=sha256:" in " ".join(pins)
    assert all(" --hash=sha256:" in pin for pin in pins)


def test_tree_files_skip_caches_tests_scripts_and_runtime_provided_packages(
    tmp_path: Path,
) -> None:
    for name in [
        "pkg/__init__.py",
        "pkg/__pycache__/x.cpython-311.pyc",
        "pkg/tests/test_x.py",
        "pkg/mod.pyc",
        "bin/normalizer",
        "boto3/__init__.py",
        "botocore-1.0.dist-info/METADATA",
        "spotipy/client.py",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [name for _, name in tree_files(tmp_path)] == ["pkg/__init__.py", "spotipy/client.py"]


def test_write_zip_is_byte_identical_whatever_the_file_times(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text("A = 1\n")
    first = write_zip(tmp_path / "one.zip", [(source, "pkg/a.py")])
    os.utime(source, (1_000_000_000, 1_000_000_000))
    second = write_zip(tmp_path / "two.zip", [(source, "pkg/a.py")])
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert [(i.filename, i.date_time) for i in archive.infolist()] == [("pkg/a.py", ZIP_EPOCH)]


# What runs on AWS, module by module. A module joins a deployed artifact only by being added
# here; local twins and builders (a folder writer, file and memory secret stores, a local Spark
# session) live in spotify_etl and must not. The tests below also require that the entry point
# imports every shipped module, so an unused one cannot hide in the list.
LAMBDA_MODULES = tuple(
    f"ingest_lambda/{name}.py"
    for name in (
        "__init__", "auth", "core", "envelope", "errors", "event", "handler", "keys", "logs",
        "playlists", "retry", "runtime", "secrets", "settings", "source", "storage", "token_age",
        "top_tracks", "unchanged",
    )
)  # fmt: skip
GLUE_MODULES = (
    "glue_jobs/__init__.py",
    *(
        f"glue_jobs/charts/{name}.py"
        for name in (
            "__init__", "body_checks", "catalog", "config", "dimensions", "entries",
            "entry_fields", "phases", "pipeline", "positions", "raw_keys", "reader", "schemas",
            "spark", "state", "storage", "swap", "table_steps", "tables", "unread", "writer",
        )
    ),
)  # fmt: skip


def _imported_modules(sources: dict[str, str], entry: str) -> list[str]:
    """The files of `sources` (archive name -> text) that `entry` imports, directly or through
    one another, at module level or inside a function (the job imports some lazily)."""

    def file_of(module: str) -> list[str]:
        parts = module.split(".")
        packages = [f"{'/'.join(parts[:i])}/__init__.py" for i in range(1, len(parts) + 1)]
        return [name for name in [*packages, f"{'/'.join(parts)}.py"] if name in sources]

    seen: set[str] = set()
    pending = [entry]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(sources[name])):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            pending.extend(file for module in modules for file in file_of(module))
    return sorted(seen - {entry})


def test_glue_package_holds_the_allowed_modules_and_the_job_imports_each(
    tmp_path: Path,
) -> None:
    package = build_glue_package_zip(tmp_path / "glue_jobs.zip")
    assert _names(package) == sorted(GLUE_MODULES)
    with zipfile.ZipFile(package) as archive:
        sources = {name: archive.read(name).decode() for name in archive.namelist()}
    entry = (REPO_ROOT / "glue_jobs" / GLUE_SCRIPT_NAME).read_text(encoding="utf-8")
    sources[GLUE_SCRIPT_NAME] = entry
    assert _imported_modules(sources, GLUE_SCRIPT_NAME) == sorted(GLUE_MODULES)
    again = build_glue_package_zip(tmp_path / "again.zip")
    assert sha256_of(package) == sha256_of(again)


def test_read_manifest_refuses_an_artifact_changed_since_the_build(tmp_path: Path) -> None:
    built = tmp_path / "x.zip"
    built.write_bytes(b"one")
    artifact = Artifact("lambda", str(built), sha256_of(built), "lambda/x-0.zip")
    (tmp_path / "manifest.json").write_text(json.dumps([artifact.__dict__]))
    assert read_manifest(tmp_path) == [artifact]
    built.write_bytes(b"two")
    with pytest.raises(FileNotFoundError, match="changed since the build"):
        read_manifest(tmp_path)


@pytest.fixture(scope="module")
def lambda_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Lambda zip (pip from the local cache or PyPI), built once for the module."""
    return build_lambda_zip(tmp_path_factory.mktemp("lambda") / "ingest_lambda.zip")


@pytest.mark.slow
def test_lambda_zip_ships_spotipy_and_the_handler_without_boto3(lambda_zip: Path) -> None:
    tops = {name.split("/")[0].split("-")[0] for name in _names(lambda_zip)}
    assert {"spotipy", "requests", "urllib3", "ingest_lambda"} <= tops
    assert not tops & {"boto3", "botocore", "s3transfer", "bin", "__pycache__"}
    assert "ingest_lambda/handler.py" in _names(lambda_zip)


# What the handler imports, run inside the task folder: the top-level names it loaded from there.
IMPORTED_FROM_TASK = (
    "import json, sys, pathlib; import ingest_lambda.handler as h, spotipy; "
    "task = pathlib.Path.cwd().resolve(); "
    "files = [pathlib.Path(module.__file__).resolve() for module in list(sys.modules.values()) "
    "if getattr(module, '__file__', None)]; "
    "loaded = sorted({f.relative_to(task).as_posix() for f in files if f.is_relative_to(task)}); "
    "print(json.dumps([h.__file__, spotipy.__file__, callable(h.lambda_handler), loaded]))"
)


@pytest.fixture(scope="module")
def imported_from_the_zip(
    lambda_zip: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[Any]]:
    """Import the handler from the extracted zip in a clean venv holding only boto3 (what the
    runtime provides); the task folder and what the probe printed."""
    scratch = tmp_path_factory.mktemp("clean")
    python = clean_venv_with_boto3(scratch / "venv")
    task = extract(lambda_zip, scratch / "task")
    result = subprocess.run(
        [str(python), "-B", "-c", IMPORTED_FROM_TASK],
        check=False,
        cwd=task,
        env=task_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return task, json.loads(result.stdout)


@pytest.mark.slow
def test_lambda_zip_imports_its_handler_in_a_clean_venv(
    imported_from_the_zip: tuple[Path, list[Any]],
) -> None:
    task, (handler_file, spotipy_file, is_callable, _) = imported_from_the_zip
    assert Path(handler_file).is_relative_to(task)
    assert Path(spotipy_file).is_relative_to(task)
    assert is_callable is True


@pytest.mark.slow
def test_lambda_zip_holds_only_what_the_handler_imports(
    lambda_zip: Path, imported_from_the_zip: tuple[Path, list[Any]]
) -> None:
    _, (_, _, _, loaded) = imported_from_the_zip
    shipped = {name.split("/")[0] for name in _names(lambda_zip) if ".dist-info/" not in name}
    loaded_packages = {name.split("/")[0] for name in loaded}
    # redis (2.5 MB, a third of a second per cold start) comes only through spotipy's
    # RedisCacheHandler, which the Lambda never uses.
    assert "redis" not in shipped
    assert sorted(shipped - loaded_packages) == []
    assert sorted(loaded_packages - shipped) == []


@pytest.mark.slow
def test_lambda_zip_ships_the_allowed_modules_and_the_handler_imports_each(
    lambda_zip: Path, imported_from_the_zip: tuple[Path, list[Any]]
) -> None:
    _, (_, _, _, loaded) = imported_from_the_zip
    ours = sorted(name for name in _names(lambda_zip) if name.startswith("ingest_lambda/"))
    assert ours == sorted(LAMBDA_MODULES)
    assert [name for name in loaded if name.startswith("ingest_lambda/")] == ours
