"""A re-screen does the unchanged units first (the parse workers start meanwhile) and still reports every unit,
ingest result and export in the folder's order, equal to a screen from scratch (issue 15)."""

from __future__ import annotations

import os
import shutil

import pytest

from assistant.llm.backend import NoLLM
from assistant.review import UnitReviewer
from assistant.screen import screen
from core.settings import Settings
from indicators.catalog import load_catalog
from ingestion.workspace import Workspace
from tests.ingestion.makefiles import make_docx

CATALOG = "langfang-2023"


def _report(folder, unit: str, extra: str = "") -> None:
    """One unit folder holding its annual report, a real DOCX with the report's sections."""
    (folder / unit).mkdir(parents=True, exist_ok=True)
    make_docx(folder / unit / f"{unit}2023年政府信息公开工作年度报告.docx", [
        f"{unit}2023年政府信息公开工作年度报告",
        "一、总体情况", f"2023年，{unit}主动公开政府信息1200条，受理依申请公开15件。{extra}",
        "二、主动公开政府信息情况", "本年制发规范性文件3件，现行有效21件。",
        "三、收到和处理政府信息公开申请情况", "本年新收政府信息公开申请15件，均在法定期限内答复。",
        "四、政府信息公开行政复议、行政诉讼情况", "本年度未发生政府信息公开行政复议、行政诉讼。",
        "五、存在的主要问题及改进情况", "存在的问题：政策解读形式单一。改进措施：2024年6月底前开展图解解读培训。",
        "六、其他需要报告的事项", "本年度未收取信息处理费。",
    ])


def _screen(folder, base):
    with Workspace(base / "ws", Settings(embedding_backend="none")) as ws:
        return screen(folder, ws, load_catalog(CATALOG), CATALOG, NoLLM(), base / "out", progress=False)


def test_unchanged_answers_as_ingest_would_when_nothing_changed(tmp_path):
    folder = tmp_path / "units"
    _report(folder, "甲县人民政府")
    unit = [folder / "甲县人民政府"]
    with Workspace(tmp_path / "ws", Settings(embedding_backend="none")) as ws:
        assert ws.unchanged(unit, "甲县人民政府") is None  # never stored
        ws.ingest(unit, unit="甲县人民政府", progress=False)
        answer = ws.unchanged(unit, "甲县人民政府")
        assert answer == ws.ingest(unit, unit="甲县人民政府", progress=False)  # what ingest says
        assert [r.status for r in answer] == ["skipped"]
        assert ws.unchanged(unit, "乙县人民政府") is None  # another unit's document
        (report,) = (folder / "甲县人民政府").iterdir()
        stat = report.stat()
        os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched: ingest hashes it
        assert ws.unchanged(unit, "甲县人民政府") is None
        ws.ingest(unit, unit="甲县人民政府", progress=False)
        assert ws.unchanged(unit, "甲县人民政府") is not None
        (folder / "甲县人民政府" / "loop.txt").symlink_to(folder / "甲县人民政府" / "loop.txt")  # refused by ingest
        assert ws.unchanged(unit, "甲县人民政府") is None
        (folder / "甲县人民政府" / "loop.txt").unlink()
        assert ws.unchanged(unit, "甲县人民政府") is not None
    with Workspace(tmp_path / "ws", Settings(embedding_backend="none", dense_in_screen=True)) as ws:
        assert ws.unchanged(unit, "甲县人民政府") is None  # ingest would embed missing vectors: it has work


@pytest.mark.slow
def test_a_rescreen_reviews_unchanged_units_first_and_reports_in_folder_order(tmp_path, monkeypatch):
    folder = tmp_path / "units"
    for unit in ("丙县人民政府", "甲县人民政府"):
        _report(folder, unit)
    _screen(folder, tmp_path)
    shutil.rmtree(folder / "丙县人民政府")  # 丙 changed, 乙 new, 甲 as it was
    _report(folder, "丙县人民政府", extra="全年召开新闻发布会4场。")
    _report(folder, "乙县人民政府")

    reviewed = []
    original = UnitReviewer.review

    def spy(self, unit, *args, **kwargs):
        reviewed.append(unit)
        return original(self, unit, *args, **kwargs)

    monkeypatch.setattr(UnitReviewer, "review", spy)
    again = _screen(folder, tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["丙县人民政府", "乙县人民政府", "甲县人民政府"]  # the folder's order (by code point)
    assert reviewed == ["甲县人民政府", "丙县人民政府", "乙县人民政府"]  # the unchanged one first
    assert [sc.unit for sc in again.scorecards] == names
    assert list(again.exports) == names
    assert [r.file.removesuffix("2023年政府信息公开工作年度报告.docx") for r in again.ingest] == names
    # the same result as a screen from scratch, unit by unit
    monkeypatch.setattr(UnitReviewer, "review", original)
    fresh = _screen(folder, tmp_path / "fresh")
    assert [sc.model_dump() for sc in again.scorecards] == [sc.model_dump() for sc in fresh.scorecards]
    assert all(p.exists() for files in again.exports.values() for p in files.values())


def test_the_command_starts_the_parse_workers_early_only_when_a_file_looks_new(tmp_path):
    """`zwgk screen` starts the workers before its imports when a file is newer than the workspace's databases
    (a hint: screen() decides for certain); an unchanged re-run starts none."""
    from assistant.cli import newer_files

    folder = tmp_path / "units"
    _report(folder, "甲县人民政府")
    assert newer_files(folder, tmp_path / "ws")  # no workspace yet
    _screen(folder, tmp_path)
    assert not newer_files(folder, tmp_path / "ws")
    _report(folder, "乙县人民政府")  # a report saved after the screen
    future = (tmp_path / "ws" / "screen.db").stat().st_mtime + 5
    (report,) = (folder / "乙县人民政府").iterdir()
    os.utime(report, (future, future))
    assert newer_files(folder, tmp_path / "ws")
    os.utime(report, (1_000_000_000, 1_000_000_000))  # copied keeping an old time: missed by the hint ...
    assert not newer_files(folder, tmp_path / "ws")
    again = _screen(folder, tmp_path)  # ... and read all the same
    assert [sc.unit for sc in again.scorecards] == ["乙县人民政府", "甲县人民政府"]
    assert [r.status for r in again.ingest] == ["ok", "skipped"]
