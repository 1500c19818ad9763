"""Build the deployable artifacts: the Lambda zip, the Glue package zip and the Glue script."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUILD_DIR = REPO_ROOT / "build" / "deploy"
MANIFEST_NAME = "manifest.json"
GLUE_SCRIPT_NAME = "charts_job.py"
LAMBDA_EXTRA = "lambda"
# The Lambda runtime's Python (lake.yaml: Runtime python3.13; docs/decisions/0093).
LAMBDA_PYTHON_VERSION = "3.13"
# What that runtime (x86_64) can load: CPython manylinux wheels of its version only.
LAMBDA_PIP_PLATFORM = (
    "--platform",
    "manylinux2014_x86_64",
    "--only-binary=:all:",
    "--python-version",
    LAMBDA_PYTHON_VERSION,
    "--implementation",
    "cp",
)
# The Lambda runtime's environment markers: which of uv.lock's pins apply to the zip.
LAMBDA_MARKER_ENVIRONMENT = {
    "implementation_name": "cpython",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_python_implementation": "CPython",
    "platform_system": "Linux",
    "python_full_version": f"{LAMBDA_PYTHON_VERSION}.0",
    "python_version": LAMBDA_PYTHON_VERSION,
    "sys_platform": "linux",
}
# The uv of this venv (make venv installs it), which reads uv.lock.
UV = Path(sys.executable).parent / "uv"
# The runtime ships boto3; a bundled copy would only pin an older one and add 15 MB.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")
EXCLUDED_PARTS = frozenset({"__pycache__", "tests", "bin"})
EXCLUDED_SUFFIXES = (".pyc", ".pyo")
# Zip entries get a fixed date and mode so equal inputs give byte-identical archives.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644 << 16
HASH_CHARS = 16


@dataclass(frozen=True)
class Artifact:
    """One built file, named in S3 by its content hash so a change always redeploys."""

    name: str
    path: str
    sha256: str
    key: str


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lambda_package_names(pyproject: Path = REPO_ROOT / "pyproject.toml") -> list[str]:
    """The normalised names of the `lambda` extra's packages: what the zip ships."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extra = project["optional-dependencies"][LAMBDA_EXTRA]
    return sorted(canonicalize_name(Requirement(line).name) for line in extra)


def export_lock() -> str:
    """`uv export` of uv.lock with the `lambda` extra: every pin, its markers and its hashes.

    Raises:
        RuntimeError: uv.lock is missing or out of date with pyproject.toml (`make lock`).
    """
    command = [
        *(str(UV), "export", "--locked", "--offline", "--format", "requirements.txt"),
        *("--no-header", "--no-annotate", "--no-default-groups", "--no-emit-project"),
        *("--extra", LAMBDA_EXTRA),
    ]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(
            f"uv export failed (run `make lock` after editing pyproject.toml):\n{result.stderr}"
        )
    return result.stdout


def locked_pins(
    exported: str, names: Iterable[str], environment: dict[str, str] = LAMBDA_MARKER_ENVIRONMENT
) -> list[str]:
    """`name==version --hash=...` of each of `names`, from `uv export` text, for `environment`.

    A universal lock may pin a package twice under exclusive markers (one version per Python);
    the pin whose markers hold in `environment` is the one.

    Raises:
        RuntimeError: a name has no pin for `environment`.
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    wanted = set(names)
    pins: dict[str, str] = {}
    for line in exported.replace("\\\n", " ").splitlines():
        requirement_text, *hashes = line.split(" --hash=")
        if not requirement_text.strip() or requirement_text.lstrip().startswith(("#", "-")):
            continue
        requirement = Requirement(requirement_text)
        name = canonicalize_name(requirement.name)
        if name in wanted and (
            requirement.marker is None or requirement.marker.evaluate(environment)
        ):
            pins[name] = " ".join(
                [f"{name}{requirement.specifier}", *(f"--hash={h.strip()}" for h in hashes)]
            )
    missing = sorted(wanted - set(pins))
    if missing:
        raise RuntimeError(
            f"uv.lock pins no {', '.join(missing)} for the Lambda's Python: run `make lock`"
        )
    return [pins[name] for name in sorted(pins)]


def _included(relative: Path) -> bool:
    top = relative.parts[0].split("-")[0].split(".")[0].lower()
    return (
        not EXCLUDED_PARTS.intersection(relative.parts)
        and not relative.name.endswith(EXCLUDED_SUFFIXES)
        and top not in RUNTIME_PROVIDED
    )


def tree_files(root: Path) -> list[tuple[Path, str]]:
    """Files under `root` worth shipping, as (path, archive name) sorted by archive name."""
    files = [
        (path, path.relative_to(root).as_posix())
        for path in root.rglob("*")
        if path.is_file() and _included(path.relative_to(root))
    ]
    return sorted(files, key=lambda item: item[1])


def write_zip(destination: Path, files: Iterable[tuple[Path, str]]) -> Path:
    """Write a deterministic zip: given order, fixed timestamps and permissions."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, name in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = FILE_MODE
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return destination


def install_lambda_dependencies(target: Path, pins: Sequence[str]) -> None:
    """`pip install --target` the locked pins as Linux x86_64 CPython wheels of the runtime.

    `--no-deps`: the `lambda` extra lists every package the handler imports, and nothing
    else gets in (spotipy declares redis, which the Lambda never uses). `--require-hashes`:
    each wheel must be one that uv.lock recorded.

    Raises:
        RuntimeError: pip failed (no matching wheel, no network); its output is included.
    """
    requirements = target.parent / "requirements.txt"
    requirements.write_text("\n".join(pins) + "\n", encoding="utf-8")
    command = [
        sys.executable,
        *("-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"),
        *("--no-deps", "--require-hashes"),
        *("--target", str(target), "--requirement", str(requirements)),
        *LAMBDA_PIP_PLATFORM,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        names = [pin.split(" ", 1)[0] for pin in pins]
        raise RuntimeError(f"pip could not install {names}:\n{result.stderr}")


def build_lambda_zip(destination: Path) -> Path:
    """The Lambda zip: the `lambda` extra's packages as uv.lock pins them for the runtime's
    Python, plus the `ingest_lambda` package."""
    with tempfile.TemporaryDirectory(prefix="lambda-build-") as scratch:
        staging = Path(scratch) / "package"
        pins = locked_pins(export_lock(), lambda_package_names())
        install_lambda_dependencies(staging, pins)
        shutil.rmtree(staging / "ingest_lambda", ignore_errors=True)
        shutil.copytree(REPO_ROOT / "ingest_lambda", staging / "ingest_lambda")
        return write_zip(destination, tree_files(staging))


def build_glue_package_zip(destination: Path) -> Path:
    """The `--extra-py-files` zip: the `glue_jobs` package without the entry script."""
    files = [
        (path, f"glue_jobs/{name}")
        for path, name in tree_files(REPO_ROOT / "glue_jobs")
        if name.endswith(".py") and name != GLUE_SCRIPT_NAME
    ]
    return write_zip(destination, files)


def _artifact(name: str, path: Path, prefix: str) -> Artifact:
    digest = sha256_of(path)
    stem, suffix = path.name.split(".", 1)
    key = f"{prefix}/{stem}-{digest[:HASH_CHARS]}.{suffix}"
    return Artifact(name=name, path=str(path), sha256=digest, key=key)


def build_all(build_dir: Path = DEFAULT_BUILD_DIR) -> list[Artifact]:
    """Build every artifact into `build_dir` and write its manifest."""
    source_script = REPO_ROOT / "glue_jobs" / GLUE_SCRIPT_NAME
    if not source_script.exists():
        raise FileNotFoundError(f"{source_script} not found: the Glue entry script is missing")
    build_dir.mkdir(parents=True, exist_ok=True)
    script = build_dir / GLUE_SCRIPT_NAME
    shutil.copyfile(source_script, script)
    artifacts = [
        _artifact("lambda", build_lambda_zip(build_dir / "ingest_lambda.zip"), "lambda"),
        _artifact("glue_package", build_glue_package_zip(build_dir / "glue_jobs.zip"), "glue"),
        _artifact("glue_script", script, "glue"),
    ]
    manifest = build_dir / MANIFEST_NAME
    manifest.write_text(json.dumps([asdict(a) for a in artifacts], indent=2) + "\n")
    return artifacts


def read_manifest(build_dir: Path = DEFAULT_BUILD_DIR) -> list[Artifact]:
    """The artifacts of the last build, checked against the files on disk.

    Raises:
        FileNotFoundError: no build yet, or a built file changed or vanished since.
    """
    manifest = build_dir / MANIFEST_NAME
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest} not found: run `python -m deploy.package` first")
    artifacts = [Artifact(**item) for item in json.loads(manifest.read_text())]
    for artifact in artifacts:
        if not Path(artifact.path).exists() or sha256_of(Path(artifact.path)) != artifact.sha256:
            raise FileNotFoundError(f"{artifact.path} changed since the build: rebuild it")
    return artifacts


def main(argv: Sequence[str] | None = None) -> int:
    """Build the artifacts and print one line per file: key, size, path."""
    parser = argparse.ArgumentParser(prog="python -m deploy.package", description=__doc__)
    parser.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)
    args = parser.parse_args(argv)
    try:
        artifacts = build_all(args.build_dir)
    except (RuntimeError, FileNotFoundError) as error:
        print(f"package: error: {error}", file=sys.stderr)  # noqa: T201
        return 1
    for artifact in artifacts:
        size = Path(artifact.path).stat().st_size
        print(f"{artifact.key}  {size:>10,d} bytes  {artifact.path}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
