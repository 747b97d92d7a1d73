"""`zwgk indicators show|import` through click's runner and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import yaml
from click.testing import CliRunner

from indicators.catalog import CATALOG_DIR, read_ids_tsv
from zwgk.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(__file__).parent / "data" / "langfang-2023-indicators.txt"
IDS = [r.id for r in read_ids_tsv(CATALOG_DIR / "langfang-2023.ids.tsv")]


def run(*args: str):
    return CliRunner().invoke(main, ["indicators", *args])


def _check_contract(doc: dict) -> None:
    assert set(doc) == {"catalog", "total_points", "indicators"}
    assert doc["catalog"] == "langfang-2023" and doc["total_points"] == 100
    assert [i["id"] for i in doc["indicators"]] == IDS and len(IDS) == 41
    assert sum(Decimal(str(i["points"])) for i in doc["indicators"]) == 100
    for ind in doc["indicators"]:
        assert set(ind) == {"id", "level1", "level2", "level3", "points", "sub_items", "scoring_kind", "text"}
        for s in ind["sub_items"]:
            assert set(s) == {"number", "points", "text"}
        if ind["sub_items"]:
            assert sum(Decimal(str(s["points"])) for s in ind["sub_items"]) == Decimal(str(ind["points"]))


def test_show_json_contract():
    result = run("show", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    _check_contract(doc)
    by_id = {i["id"]: i for i in doc["indicators"]}
    assert by_id["3.1"]["level3"] is None
    assert by_id["5.1.3"]["scoring_kind"] == "composite" and by_id["5.1.6"]["scoring_kind"] == "gate"
    assert by_id["1.1.9"]["sub_items"][0] == {
        "number": 1, "points": 1.0,
        "text": "报告在规定时间内按照国办公开办函(2021)30号统一格式在政府网站信息公开专栏发布；"}


def test_show_json_as_a_real_process():
    proc = subprocess.run([sys.executable, "-m", "zwgk", "indicators", "show", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    _check_contract(json.loads(proc.stdout))


def test_show_tree_in_chinese():
    result = run("show", "5.1.4")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "廊坊市2023年度政务公开工作考核指标任务分解表（langfang-2023），总分 100.0 分"
    assert "平台建设（22.0分）" in out and "政府网站（含政府信息公开专栏）（10.0分）" in out
    assert "5.1.4 政府网站网民纠错和留言办理（2.0分）［扣分制+分档计分］" in out
    assert "(50%, 70%)未规定" in out and "说明［unspecified_band］" in out
    assert "5.1.3" not in out


def test_show_prefix_filters():
    doc = json.loads(run("show", "5.1", "--json").stdout)
    assert [i["id"] for i in doc["indicators"]] == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6"]
    assert [i["id"] for i in json.loads(run("show", "1.1.1", "--json").stdout)["indicators"]] == ["1.1.1"]


def test_unknown_catalog_and_indicator_exit_2():
    result = run("show", "--catalog", "no-such-catalog")
    assert result.exit_code == 2 and "未知的考核指标目录" in result.stderr and result.stdout == ""
    result = run("show", "9.9")
    assert result.exit_code == 2 and "9.9" in result.stderr


def test_broken_catalog_exit_2_naming_the_entry(tmp_path):
    data = yaml.safe_load((CATALOG_DIR / "langfang-2023.yaml").read_text(encoding="utf-8"))
    next(i for i in data["indicators"] if i["id"] == "2.1.1")["sub_items"][1]["points"] = 2.0
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("show", "--catalog", str(path), "--json")
    assert result.exit_code == 2
    assert "2.1.1: 分项分值合计 3.0 ≠ 指标分值 4.0" in result.stderr and result.stdout == ""


def test_import_then_show(tmp_path):
    out = tmp_path / "copy.yaml"
    result = run("import", str(SEED), "--id", "copy-2023", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "已导入 41 项指标（63 个计分单元，总分 100.0 分）" in result.stdout
    assert "3 处评分规则无法自动识别" in result.stderr
    doc = json.loads(run("show", "--catalog", str(out), "--json").stdout)
    assert doc["catalog"] == "copy-2023" and [i["id"] for i in doc["indicators"]] == IDS
    shipped = json.loads(run("show", "--json").stdout)
    for a, b in zip(doc["indicators"], shipped["indicators"], strict=True):
        assert (a["level3"], a["points"], a["text"], a["sub_items"]) == (b["level3"], b["points"], b["text"], b["sub_items"])
    again = run("import", str(SEED), "--id", "copy-2023", "--out", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("import", str(SEED), "--id", "copy-2023", "--out", str(out), "--force").exit_code == 0


def test_import_bad_table_exit_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("一级指标\t二级指标\t三级指标\t考核要点\n主动公开 (10分)\t基础 (10分)\t甲(5分)\t1. 甲；(1分) 2. 乙。(1分)\n",
                   encoding="utf-8")
    result = run("import", str(bad), "--id", "bad", "--out", str(tmp_path / "bad.yaml"))
    assert result.exit_code == 2 and "1.1.1: 分项分值合计 2.0 ≠ 指标分值 5.0" in result.stderr
    assert not (tmp_path / "bad.yaml").exists()
