"""The OSV range evaluator behind make audit (scripts/supply_chain/osv.py), on small hand-made records."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.supply_chain.osv import Advisory, load_advisory
from scripts.supply_chain.pins import PinError, normalize, read_pins


def advisory(*affected: dict, **extra) -> Advisory:
    return Advisory.from_record({"id": "PYSEC-TEST-1", "affected": list(affected), **extra})


def pypi(name: str, events: list[dict] | None = None, versions: list[str] | None = None, *ranges: dict) -> dict:
    entry: dict = {"package": {"name": name, "ecosystem": "PyPI"}}
    all_ranges = ([{"type": "ECOSYSTEM", "events": events}] if events else []) + list(ranges)
    if all_ranges:
        entry["ranges"] = all_ranges
    if versions is not None:
        entry["versions"] = versions
    return entry


def affected(adv: Advisory, version: str, name: str = "demo") -> bool:
    return adv.check(name, version) is not None


@pytest.mark.parametrize(("version", "hit"), [
    ("0.9", False), ("1.0", True), ("1.0.post1", True), ("1.5", True), ("2.0rc1", True),
    ("2.0", False), ("2.0.1", False), ("10.0", False),
])
def test_introduced_and_fixed_bound_a_half_open_interval(version, hit):
    adv = advisory(pypi("demo", [{"introduced": "1.0"}, {"fixed": "2.0"}]))
    assert affected(adv, version) is hit


def test_a_hit_names_the_fix_and_introduced_zero_means_from_the_first_release():
    adv = advisory(pypi("demo", [{"introduced": "0"}, {"fixed": "1.4.2"}]), aliases=["CVE-2099-1"])
    v = adv.check("demo", "0.0.1")
    assert v is not None and v.has_fix and v.fixed_in == ("1.4.2",) and v.aliases == ("CVE-2099-1",)
    assert adv.check("demo", "1.4.2") is None


@pytest.mark.parametrize(("version", "hit"), [("0.9", False), ("1.0", True), ("1.4", True), ("1.4.1", False)])
def test_last_affected_is_inclusive_and_leaves_no_fix(version, hit):
    adv = advisory(pypi("demo", [{"introduced": "1.0"}, {"last_affected": "1.4"}]))
    v = adv.check("demo", version)
    assert (v is not None) is hit
    if v:
        assert not v.has_fix and v.fixed_in == ()


@pytest.mark.parametrize("shape", ["one range, four events", "two ranges"])
@pytest.mark.parametrize(("version", "fix"), [
    ("0.5", None), ("1.1", "1.2"), ("1.2", None), ("1.9", None), ("2.0", "2.3"), ("2.2.9", "2.3"), ("2.3", None),
])
def test_several_intervals_each_with_its_own_fix(shape, version, fix):
    if shape == "two ranges":
        entry = pypi("demo", [{"introduced": "1.0"}, {"fixed": "1.2"}], None,
                     {"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.3"}]})
    else:  # events deliberately out of order: the evaluator sorts them by version
        entry = pypi("demo", [{"fixed": "2.3"}, {"introduced": "1.0"}, {"introduced": "2.0"}, {"fixed": "1.2"}])
    v = advisory(entry).check("demo", version)
    assert (v.fixed_in if v else None) == ((fix,) if fix else None)


def test_a_versions_list_alone_marks_exactly_its_versions():
    adv = advisory(pypi("demo", None, ["1.0", "1.1", "2.0.0"]))
    assert [affected(adv, x) for x in ("1.0", "1.0.1", "1.1", "2.0", "3.0")] == [True, False, True, True, False]
    assert not adv.check("demo", "1.1").has_fix  # nothing says which release fixes it


def test_versions_list_and_ranges_are_alternatives():
    adv = advisory(pypi("demo", [{"introduced": "3.0"}, {"fixed": "3.1"}], ["1.7"]))
    assert affected(adv, "1.7") and affected(adv, "3.0") and not affected(adv, "2.0")


def test_package_names_match_after_pep503_normalisation():
    adv = advisory(pypi("Zope_Interface.Ext", [{"introduced": "0"}, {"fixed": "5"}]))
    for spelling in ("zope-interface-ext", "ZOPE.interface_ext", "zope__interface--ext"):
        assert affected(adv, "4.0", spelling)
    assert not affected(adv, "4.0", "zope-interface")
    assert normalize("Foo.Bar__baz") == "foo-bar-baz"


def test_withdrawn_other_ecosystems_and_git_ranges_do_not_count():
    events = [{"introduced": "0"}, {"fixed": "9"}]
    assert not affected(advisory(pypi("demo", events), withdrawn="2024-01-01T00:00:00Z"), "1.0")
    npm = {"package": {"name": "demo", "ecosystem": "npm"}, "ranges": [{"type": "ECOSYSTEM", "events": events}]}
    assert not affected(advisory(npm), "1.0")
    git = pypi("demo", None, None, {"type": "GIT", "repo": "x", "events": [{"introduced": "0"}, {"fixed": "abc123"}]})
    assert not affected(advisory(git), "1.0")


def test_unparseable_versions_are_ignored_not_fatal():
    adv = advisory(pypi("demo", [{"introduced": "0"}, {"fixed": "not a version"}], ["also bad", "1.0"]))
    assert affected(adv, "1.0") and affected(adv, "7.0")  # the range stays open: its fix cannot be ordered
    assert adv.check("demo", "junk!") is None


def test_yaml_versions_stay_strings(tmp_path: Path):
    # the PyPA database is YAML: an unquoted 2.10 must not become the float 2.1
    f = tmp_path / "PYSEC-TEST-2.yaml"
    f.write_text(
        "id: PYSEC-TEST-2\naffected:\n- package:\n    name: demo\n    ecosystem: PyPI\n  ranges:\n"
        "  - type: ECOSYSTEM\n    events:\n    - introduced: 2.2\n    - fixed: 2.10\n",
        encoding="utf-8",
    )
    adv = load_advisory(f)
    assert affected(adv, "2.9") and not affected(adv, "2.10") and not affected(adv, "2.1")
    assert adv.check("demo", "2.9").fixed_in == ("2.10",)


def test_pins_are_read_from_a_hashed_lock_and_must_be_exact(tmp_path: Path):
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "# header\nPyYAML==6.0.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via demo\n"
        "typing_extensions==4.12.0 ; python_version >= '3.8' \\\n    --hash=sha256:cc\n-r other.txt\n",
        encoding="utf-8",
    )
    pins = read_pins([lock])
    assert [(p.name, p.version) for p in pins] == [("pyyaml", "6.0.1"), ("typing-extensions", "4.12.0")]
    loose = tmp_path / "loose.txt"
    loose.write_text("requests>=2\n", encoding="utf-8")
    with pytest.raises(PinError, match="requests"):
        read_pins([loose])
