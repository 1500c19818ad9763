"""The local session's `file://` file system (spotify_etl/local_filesystem.py, decision 0115)."""

from __future__ import annotations

import logging
import os
import stat
import zipfile
from pathlib import Path

import pytest

from spotify_etl import local_filesystem as lfs

CLASS_ENTRY = "spotify_etl/hadoop/NioLocalFileSystem.class"


def _has_jdk() -> bool:
    java = lfs.spark_java()
    return java is not None and java.with_name("javac").exists()


needs_jdk = pytest.mark.skipif(not _has_jdk(), reason="no javac beside the java Spark runs")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(lfs.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_cache_is_the_users_cache_folder_unless_one_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(lfs.CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert lfs.cache_dir() == tmp_path / ".cache" / "spotify-charts-lake"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert lfs.cache_dir() == tmp_path / "xdg" / "spotify-charts-lake"
    monkeypatch.setenv(lfs.CACHE_ENV, str(tmp_path / "chosen"))
    assert lfs.cache_dir() == tmp_path / "chosen"


@needs_jdk
def test_the_jar_is_built_once_and_then_reused(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jar = lfs.nio_file_system_jar()
    assert jar is not None
    assert jar.parent == cache
    with zipfile.ZipFile(jar) as built:
        assert built.namelist() == [CLASS_ENTRY]

    def no_build(*_: object) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(lfs, "_build", no_build)
    assert lfs.nio_file_system_jar() == jar
    assert lfs.file_system_conf() == {
        "spark.hadoop.fs.file.impl": lfs.NIO_LOCAL_FILE_SYSTEM,
        "spark.driver.extraClassPath": str(jar),
    }


@needs_jdk
def test_a_changed_source_gets_a_jar_of_its_own(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lfs.nio_file_system_jar()
    changed = tmp_path / "NioLocalFileSystem.java"
    changed.write_text(lfs.SOURCE.read_text() + "\n// changed\n")
    monkeypatch.setattr(lfs, "SOURCE", changed)
    second = lfs.nio_file_system_jar()
    assert first is not None
    assert second is not None
    assert second != first
    assert sorted(path.name for path in cache.iterdir()) == sorted([first.name, second.name])


def test_without_javac_the_session_keeps_hadoops_file_system(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    jre = tmp_path / "jre"
    (jre / "bin").mkdir(parents=True)
    (jre / "bin" / "java").write_text("#!/bin/sh\n")
    (jre / "bin" / "java").chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(jre))
    with caplog.at_level(logging.INFO, logger=lfs.__name__):
        assert lfs.file_system_conf() == {"spark.hadoop.fs.file.impl": lfs.RAW_LOCAL_FILE_SYSTEM}
    assert "no javac beside" in caplog.text
    assert not cache.exists()


@needs_jdk
def test_without_sparks_hadoop_jar_the_session_keeps_hadoops_file_system(
    cache: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(lfs, "hadoop_jar", lambda: None)
    with caplog.at_level(logging.WARNING, logger=lfs.__name__):
        assert lfs.file_system_conf() == {"spark.hadoop.fs.file.impl": lfs.RAW_LOCAL_FILE_SYSTEM}
    assert "no hadoop-client-api jar" in caplog.text


@needs_jdk
def test_a_source_that_does_not_compile_falls_back_with_one_warning(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "NioLocalFileSystem.java"
    broken.write_text("package spotify_etl.hadoop; public class NioLocalFileSystem {")
    monkeypatch.setattr(lfs, "SOURCE", broken)
    with caplog.at_level(logging.WARNING, logger=lfs.__name__):
        assert lfs.nio_file_system_jar() is None
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    [message] = caplog.messages  # javac's first error line (its words follow the locale)
    assert message.startswith(f"could not build NioLocalFileSystem.java ({broken}:1: ")
    assert message.endswith("): local writes use Hadoop's")
    assert "\n" not in message
    assert list(cache.iterdir()) == []  # no half-built jar left to be taken later


@pytest.mark.spark
@needs_jdk
def test_the_session_writes_through_the_nio_file_system(spark, tmp_path: Path) -> None:
    jvm = spark.sparkContext._jvm
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    fs = jvm.org.apache.hadoop.fs.FileSystem.get(jvm.java.net.URI("file:///"), hadoop_conf)
    assert fs.getClass().getName() == lfs.NIO_LOCAL_FILE_SYSTEM


@pytest.mark.spark
@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600, 0o777, 0o000, 0o421])
def test_set_permission_sets_the_mode_chmod_sets(spark, tmp_path: Path, mode: int) -> None:
    jvm = spark.sparkContext._jvm
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    fs = jvm.org.apache.hadoop.fs.FileSystem.get(jvm.java.net.URI("file:///"), hadoop_conf)
    target = tmp_path / "file"
    target.write_text("x")
    fs.setPermission(
        jvm.org.apache.hadoop.fs.Path(str(target)),
        jvm.org.apache.hadoop.fs.permission.FsPermission(f"{mode:03o}"),
    )
    assert stat.S_IMODE(os.stat(target).st_mode) == mode


@pytest.mark.spark
def test_written_parquet_files_and_folders_get_hadoops_default_modes(spark, tmp_path: Path) -> None:
    """Files 0644 and folders 0755 (Hadoop's defaults under its umask 022), as with chmod."""
    out = tmp_path / "table"
    spark.range(6).selectExpr("id", "id % 2 AS day").write.partitionBy("day").parquet(str(out))
    written = [path for path in out.rglob("*") if not path.name.startswith((".", "_"))]
    folders = {stat.S_IMODE(path.stat().st_mode) for path in written if path.is_dir()}
    files = {stat.S_IMODE(path.stat().st_mode) for path in written if path.is_file()}
    assert folders == {0o755}
    assert files == {0o644}
    assert len(written) >= 4


@pytest.mark.spark
def test_a_file_system_class_that_does_not_load_falls_back_to_hadoops(
    spark, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """As in a JVM started before, without the jar on its class path."""
    from spotify_etl import local_spark

    missing = "spotify_etl.hadoop.NotOnTheClassPath"
    monkeypatch.setattr(local_spark, "NIO_LOCAL_FILE_SYSTEM", missing)
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    before = hadoop_conf.get("fs.file.impl")
    hadoop_conf.set("fs.file.impl", missing)
    try:
        with caplog.at_level(logging.WARNING, logger=local_spark.__name__):
            local_spark._check_file_system(spark)
        assert hadoop_conf.get("fs.file.impl") == lfs.RAW_LOCAL_FILE_SYSTEM
        assert caplog.messages == [
            f"{missing} does not load (java.lang.ClassNotFoundException: {missing}): "
            "local writes use Hadoop's"
        ]
    finally:
        hadoop_conf.set("fs.file.impl", before)
