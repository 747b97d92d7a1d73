"""The unit roster: levels decide the annual report's deadline (条例第四十九条; scoring-policy.md 1.1.9 sub 1).

The model and the name rule directly; `zwgk units` and `zwgk screen` as a user runs them (subprocess) on a
temporary workspace with real PDF reports and HTML column pages; the UI's edit through review.service.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.roster import ROSTER_FILE, RosterStore, seed_roster
from indicators.catalog import load_catalog
from indicators.units import (
    BodyLevel,
    LevelSource,
    Roster,
    UnitEntry,
    assessed_units_from_line,
    infer_level,
    level_of,
    parse_level,
)
from tests.assistant.roster_files import write_unit

ROOT = Path(__file__).resolve().parents[2]
ZONE = "廊坊临港经济技术开发区管理委员会"  # invented bodies
UNDECIDED = "廊坊临港示范区管理委员会"  # a 管委会 of a kind the policy does not name
DEPARTMENT = "香河县商务局"
ASK = "请在单位名册中设置该单位的级别"


def zwgk(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none"}
    proc = subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout[-2000:]}\nstderr:{proc.stderr[-4000:]}")
    return proc


# --- the model and the name rule ----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "level"), [
    ("XX经济技术开发区管理委员会", BodyLevel.development_zone),
    ("廊坊开发区管委会", BodyLevel.development_zone),
    ("雄安新区管理委员会", BodyLevel.development_zone),
    ("平阳综合实验区管委会", BodyLevel.development_zone),
    ("某某高新区", BodyLevel.development_zone),
    ("临空经济区（廊坊）", BodyLevel.development_zone),
    ("廊坊开发区财政局", BodyLevel.department),  # a department of the zone, not the zone
    ("某某示范区管理委员会", BodyLevel.unknown),  # a 管委会, but not of a kind the policy names: ask
    ("香河县发展和改革委员会", BodyLevel.department),
    ("香河县人民政府", BodyLevel.county_government),
    ("大城县权村镇人民政府", BodyLevel.township),
    ("香河县", BodyLevel.unknown),
])
def test_name_rule(name, level):
    assert infer_level(name) is level


def test_levels_by_code_or_label_and_nothing_else():
    assert parse_level("开发区等") is BodyLevel.development_zone
    assert parse_level("department") is BodyLevel.department
    for bad in ("省级", "unknown", "未确定", ""):
        with pytest.raises(ValueError, match="未知的单位级别"):
            parse_level(bad)


def test_roster_matches_names_and_aliases_exactly_and_width_folded():
    roster = Roster(units=[UnitEntry(name="临空经济区（廊坊）", level="开发区等", aliases=["临空区 管委会"])])
    assert roster.find("临空经济区(廊坊)").name == "临空经济区（廊坊）"
    assert roster.find("临空区管委会") is not None
    assert roster.find("临空经济区（廊坊）财政局") is None
    with pytest.raises(ValueError, match="已有"):
        roster.add(UnitEntry(name="临空区管委会", level="部门"))
    # the roster wins over the name rule; the name rule over nothing; else undecided
    assert level_of(["临空经济区(廊坊)"], roster.set_level("临空经济区（廊坊）", "部门")) == \
        (BodyLevel.department, LevelSource.roster)
    assert level_of(["某局"], roster) == (BodyLevel.department, LevelSource.name)
    assert level_of(["香河县", None], roster) == (BodyLevel.unknown, None)


def test_seed_comes_from_the_catalogs_applies_line():
    cat = load_catalog("langfang-2023")
    seeded = seed_roster(cat)
    assert [u.name for u in seeded.units] == ["廊坊开发区", "临空经济区（廊坊）"]
    assert all(u.level is BodyLevel.development_zone for u in seeded.units)
    assert seeded.find("廊坊经济技术开发区管理委员会").name == "廊坊开发区"
    # a catalog without the structured list (e.g. imported) is seeded from its 适用 line itself
    parsed = assessed_units_from_line("县（市、区）政府、廊坊开发区、临空经济区（廊坊）适用（总分 100 分）")
    assert [(u.name, u.level) for u in parsed] == [(u.name, u.level) for u in seeded.units]
    bare = seed_roster(cat.model_copy(update={"assessed_units": []}))
    assert [u.name for u in bare.units] == ["廊坊开发区", "临空经济区（廊坊）"]


def test_store_refuses_a_broken_file_instead_of_replacing_it(tmp_path):
    from core.errors import ConfigError

    (tmp_path / ROSTER_FILE).write_text('{"units": [{"name": "甲", "level": "省级"}]}', encoding="utf-8")
    store = RosterStore(tmp_path)
    with pytest.raises(ConfigError, match="单位名册"):
        store.load()
    with pytest.raises(ConfigError):
        store.add("乙", "部门")
    assert "省级" in (tmp_path / ROSTER_FILE).read_text(encoding="utf-8")


# --- zwgk units ----------------------------------------------------------------------------------------

def test_units_cli_list_add_set_level_remove(tmp_path):
    ws = str(tmp_path / "ws")
    data = json.loads(zwgk("units", "list", "--workspace", ws, "--json").stdout)
    assert data["seeded"] is True and not (tmp_path / "ws" / ROSTER_FILE).exists()
    assert [(u["name"], u["level"], u["level_label"]) for u in data["units"]] == [
        ("廊坊开发区", "development_zone", "开发区等"), ("临空经济区（廊坊）", "development_zone", "开发区等")]

    out = json.loads(zwgk("units", "add", DEPARTMENT, "--level", "部门", "--parent", "香河县人民政府",
                          "--alias", "香河县商务局（粮食局）", "--workspace", ws, "--json").stdout)
    assert out["action"] == "added" and out["unit"] == {
        "name": DEPARTMENT, "level": "department", "level_label": "部门", "parent": "香河县人民政府",
        "aliases": ["香河县商务局（粮食局）"]}
    out = json.loads(zwgk("units", "set-level", "廊坊经济技术开发区", "county_government", "--workspace", ws,
                          "--json").stdout)  # by alias, by code
    assert out["unit"]["name"] == "廊坊开发区" and out["unit"]["level_label"] == "县级政府"
    assert json.loads(zwgk("units", "remove", "临空经济区(廊坊)", "--workspace", ws, "--json").stdout)["action"] \
        == "removed"

    # nothing done: exit 2 with the reason, the file unchanged
    before = (tmp_path / "ws" / ROSTER_FILE).read_bytes()
    for args, reason in [(("set-level", "无此单位", "部门"), "名册中没有单位“无此单位”"),
                         (("add", "甲局", "--level", "省级"), "未知的单位级别“省级”"),
                         (("add", "廊坊开发区管委会", "--level", "部门"), "已有"),
                         (("remove", "临空经济区（廊坊）"), "名册中没有单位")]:
        proc = zwgk("units", *args, "--workspace", ws, check=False)
        assert proc.returncode == 2 and reason in proc.stderr and proc.stdout == ""
    assert (tmp_path / "ws" / ROSTER_FILE).read_bytes() == before

    data = json.loads(zwgk("units", "list", "--workspace", ws, "--json").stdout)
    assert data["seeded"] is False
    assert {u["name"]: u["level"] for u in data["units"]} == {"廊坊开发区": "county_government",
                                                             DEPARTMENT: "department"}
    table = zwgk("units", "list", "--workspace", ws)
    assert table.stdout == "" and "县级政府" in table.stderr and "香河县人民政府" in table.stderr


# --- the deadline as screening applies it --------------------------------------------------------------

def _deadline_items(proc: subprocess.CompletedProcess) -> dict[str, dict]:
    units = json.loads(proc.stdout)["units"]
    return {sc["unit"]: next(i for i in sc["items"] if i["id"] == "1.1.9" and i["sub"] == 1) for sc in units}


@pytest.mark.slow
def test_screen_holds_each_body_to_its_levels_deadline(tmp_path):
    evidence, ws, out = tmp_path / "in", str(tmp_path / "ws"), str(tmp_path / "out")
    write_unit(evidence, ZONE, dt.date(2024, 3, 20))
    write_unit(evidence, UNDECIDED, dt.date(2024, 3, 20))
    write_unit(evidence, DEPARTMENT, dt.date(2024, 2, 10))
    items = _deadline_items(zwgk("screen", str(evidence), "--workspace", ws, "--out", out, "--json"))

    zone = items[ZONE]  # a 管委会 of a 开发区: the county government's 3月31日
    assert zone["verdict"] == "met" and zone["suggested_points"] == 1.0
    assert "应于2024年3月31日前" in zone["rationale"] and "在法定期限内" in zone["rationale"]
    assert "单位级别：开发区等，依据：名称推断" in zone["rationale"]

    dept = items[DEPARTMENT]  # a department: 1月31日
    assert dept["verdict"] == "not_met" and dept["suggested_points"] == 0.0
    assert "2024年1月31日前" in dept["rationale"] and "晚于法定期限10天" in dept["rationale"]
    assert "单位级别：部门，依据：名称推断" in dept["rationale"]

    asked = items[UNDECIDED]  # undecidable: asked, never guessed
    assert "needs_human" in asked["flags"] and ASK in asked["rationale"]
    assert asked["verdict"] == "insufficient_evidence" and asked["suggested_points"] == 0.0

    # the reviewer answers in the roster; the next screening uses it (and says so)
    zwgk("units", "add", UNDECIDED, "--level", "开发区等", "--workspace", ws)
    zwgk("units", "add", ZONE, "--level", "部门", "--workspace", ws)  # the roster wins over the name
    items = _deadline_items(zwgk("screen", str(evidence), "--workspace", ws, "--out", out, "--json"))
    assert items[UNDECIDED]["verdict"] == "met" and "needs_human" not in items[UNDECIDED]["flags"]
    assert "单位级别：开发区等，依据：名册" in items[UNDECIDED]["rationale"]
    assert items[ZONE]["verdict"] == "not_met" and "晚于法定期限49天" in items[ZONE]["rationale"]
    assert "单位级别：部门，依据：名册" in items[ZONE]["rationale"]
    assert items[DEPARTMENT]["rationale"] == dept["rationale"]


# --- the UI's edit, through the service ------------------------------------------------------------------

@pytest.mark.slow
def test_service_sets_a_units_level_for_the_next_prescreen(tmp_path):
    from review.service import ReviewService

    folder = write_unit(tmp_path / "in", UNDECIDED, dt.date(2024, 3, 20))
    service = ReviewService(tmp_path / "ws")
    try:
        service.upload(UNDECIDED, sorted(folder.iterdir()))
        rows = {r.name: r for r in service.unit_levels()}
        assert rows[UNDECIDED].level is BodyLevel.unknown and rows[UNDECIDED].source is None
        assert rows["廊坊开发区"].source is LevelSource.roster  # the catalog's seed
        item = next(i for i in service.prescreen(UNDECIDED).items if i.id == "1.1.9" and i.sub == 1)
        assert ASK in item.rationale and "needs_human" in item.flags

        with pytest.raises(ValueError, match="未知的单位级别"):
            service.set_unit_level(UNDECIDED, "省级")
        entry = service.set_unit_level(UNDECIDED, "开发区等")
        assert entry.level is BodyLevel.development_zone
        rows = {r.name: r for r in service.unit_levels()}
        assert (rows[UNDECIDED].level, rows[UNDECIDED].source) == (BodyLevel.development_zone, LevelSource.roster)
        item = next(i for i in service.prescreen(UNDECIDED).items if i.id == "1.1.9" and i.sub == 1)
        assert item.verdict == "met" and "依据：名册" in item.rationale
        # a second edit changes the level in place; the roster file holds it for the CLI and the next start
        service.set_unit_level(UNDECIDED, "department")
        assert RosterStore(tmp_path / "ws").load().find(UNDECIDED).level is BodyLevel.department
    finally:
        service.close()
