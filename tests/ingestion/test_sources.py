"""ingestion.sources: only regular files inside the input folder are read; everything else is named
with a Chinese reason, refused before it is opened, never skipped silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.document import IngestStatus
from core.settings import Settings
from ingestion.sources import Source, SourceRefused, check, input_files, open_source
from ingestion.workspace import Workspace

SECRET = "外部机密标记ZK9"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """in/ with a file, a subfolder, and every kind of entry that must not be read; outside/ next to it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    d = tmp_path / "in"
    (d / "子目录").mkdir(parents=True)
    (d / "年报.txt").write_text("香河县人民政府2023年政府信息公开工作年度报告", encoding="utf-8")
    (d / "子目录" / "解读.txt").write_text("关于印发某办法的政策解读", encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "report.txt").symlink_to("../outside/secret.txt")
    (d / "absolute.txt").symlink_to(outside / "secret.txt")
    (d / "别名.txt").symlink_to("子目录/解读.txt")  # inside: allowed
    (d / "dangling.pdf").symlink_to("nowhere.pdf")
    (d / "loop1.txt").symlink_to("loop2.txt")
    (d / "loop2.txt").symlink_to("loop1.txt")
    (d / "外部目录").symlink_to(outside, target_is_directory=True)
    (d / "内部目录").symlink_to("子目录", target_is_directory=True)  # inside: read through its real path
    (d / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (d / "~$锁文件.docx").write_bytes(b"lock")
    return d


def test_every_entry_is_listed_except_hidden_files_and_links_to_folders_inside(folder):
    names = [s.name for s in input_files([folder])]
    assert names == sorted(names, key=lambda n: Path(folder / n)) and len(names) == len(set(names))
    assert set(names) == {"年报.txt", "子目录/解读.txt", "pipe.txt", "zero.txt", "report.txt", "absolute.txt",
                          "别名.txt", "dangling.pdf", "loop1.txt", "loop2.txt", "外部目录"}


@pytest.mark.parametrize(("name", "says"), [
    ("pipe.txt", "FIFO"),
    ("zero.txt", "输入目录之外"),  # the device is outside the folder: refused before its type matters
    ("report.txt", "输入目录之外"),
    ("absolute.txt", "输入目录之外"),
    ("外部目录", "输入目录之外"),
    ("dangling.pdf", "断开"),
    ("loop1.txt", "循环"),
])
def test_refused_before_opening(folder, name, says):
    source = Source(folder / name, name, folder.resolve())
    with pytest.raises(SourceRefused, match=says) as info:
        check(source)
    assert "请" in str(info.value)  # says what to do


def test_a_device_inside_the_folder_is_refused_as_not_regular(tmp_path):
    # a link inside the folder to a device node that is itself inside: refused by type
    d = tmp_path / "in"
    d.mkdir()
    try:
        os.mknod(d / "null", 0o600 | 0o020000, os.makedev(1, 3))  # a character device (needs root)
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    (d / "null.txt").symlink_to("null")
    with pytest.raises(SourceRefused, match="字符设备"):
        check(Source(d / "null.txt", "null.txt", d.resolve()))


def test_a_file_named_directly_is_judged_by_its_own_folder(folder):
    (src,) = input_files([folder / "report.txt"])
    assert src.root == folder.resolve()
    with pytest.raises(SourceRefused, match="输入目录之外"):
        check(src)
    (ok,) = input_files([folder / "别名.txt"])
    assert check(ok) == (folder / "子目录" / "解读.txt").resolve()


def test_reading_is_bounded_while_reading(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5000)
    with open_source(Source(path, "a.txt", tmp_path.resolve())) as src:
        assert len(src.sha256(5000, "过大")) == 64
        with pytest.raises(SourceRefused, match="过大"):
            src.sha256(4999, "过大")  # e.g. a file that grew after its size was checked
        with pytest.raises(SourceRefused, match="过大"):
            src.copy_to_temp(tmp_path / "copies", 4999, "过大")
    assert list((tmp_path / "copies").iterdir()) == []  # a copy refused half-way is removed


def test_ingest_names_each_refused_entry_and_reads_nothing_outside(tmp_path, folder):
    with Workspace(tmp_path / "ws", settings=Settings(embedding_backend="none")) as ws:
        results = {r.file: r for r in ws.ingest([folder], unit="香河县", progress=False)}
    refused = {"pipe.txt", "zero.txt", "report.txt", "absolute.txt", "外部目录", "dangling.pdf", "loop1.txt", "loop2.txt"}
    assert {f for f, r in results.items() if r.status == IngestStatus.error} == refused
    assert all("请" in results[f].error for f in refused)
    assert results["年报.txt"].status == IngestStatus.ok
    assert {results["别名.txt"].status, results["子目录/解读.txt"].status} == {IngestStatus.ok, IngestStatus.skipped}
    for path in (tmp_path / "ws").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
