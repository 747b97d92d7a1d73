"""The website's 年报 column (a saved page or a screenshot) dates the report's publication."""

import datetime as dt

from core.document import DateKind, DocType
from indicators.rules.base import Evidence, Outcome, load_all_rules
from tests.docbuilder import DocBuilder

BODY = "文安县教育和体育局"


def _report():
    return (DocBuilder(f"{BODY}2023年政府信息公开工作年度报告.pdf", DocType.annual_report, year=2023,
                       title=f"{BODY}2023年政府信息公开工作年度报告", issuer=BODY)
            .heading("一、总体情况").para("本年度主动公开政府信息120条。")
            .date(DateKind.signing, dt.date(2024, 1, 20)).build())


def _column(date_text: str):
    return (DocBuilder("年报栏目截图.png", DocType.web_page)
            .para("当前位置：首页>政府信息公开>政府信息公开年报")
            .para(f"·{BODY}2023年政府信息公开工作年度报告 {date_text}")
            .para(f"·{BODY}2022年政府信息公开工作年度报告 2023-01-18").build())


def _deadline_checks(*docs):
    rule = load_all_rules().rules["annual_report.deadline"]
    return rule.run(Evidence(unit=BODY, year=2023, documents=list(docs), body_level="department"))


def test_listing_date_beats_the_signing_date_and_is_cited():
    column = _column("2024-02-06")
    [check] = _deadline_checks(_report(), column)
    assert check.outcome == Outcome.failed
    assert "2024年2月6日" in check.rationale and "网站栏目" in check.rationale
    assert check.citations[0].file == "年报栏目截图.png"
    assert check.citations[0].quote.endswith("2024-02-06")


def test_on_time_listing_passes_and_other_years_are_ignored():
    [check] = _deadline_checks(_report(), _column("2024-01-26"))
    assert check.outcome == Outcome.passed


def test_an_on_time_signing_date_alone_cannot_confirm_publication():
    [check] = _deadline_checks(_report())
    assert check.outcome == Outcome.unknown and "落款日期" in check.rationale
    assert "needs_human" in check.flags


def test_a_late_signing_date_alone_is_late():
    late = _report().model_copy()
    late.dates[0] = late.dates[0].model_copy(update={"value": dt.date(2024, 2, 3)})
    [check] = _deadline_checks(late)
    assert check.outcome == Outcome.failed


def test_saved_html_column_listing_dates_the_report(tmp_path):
    """The 年报 column saved as a web page: its dated list is the page's content (not a menu dropped
    as boilerplate), so the website's date is read and cited as from a screenshot."""
    from ingestion.parse import parse_file
    from tests.ingestion.makefiles import XXGK_CRUMBS, XXGK_MENU, make_html

    rows = [(2023, "2024-02-06"), (2022, "2023-01-18"), (2021, "2022-01-20")]
    listing = "<ul class='list'>" + "".join(
        f"<li><a href='/xxgk/xxgknb/{y}.html'>{BODY}{y}年政府信息公开工作年度报告</a>\n<span>{d}</span></li>"
        for y, d in rows) + "</ul>"
    page = parse_file(make_html(tmp_path / "年报栏目.html", "信息公开年报", listing, menu=XXGK_MENU,
                                crumbs=XXGK_CRUMBS))
    assert page.doc_type == DocType.column_page  # a column listing reports, not a report
    [check] = _deadline_checks(_report(), page)
    assert check.outcome == Outcome.failed and "2024年2月6日" in check.rationale
    citation = check.citations[0]
    assert citation.file == "年报栏目.html" and citation.quote.endswith("2024-02-06")
    assert page.text[citation.start:citation.end] == citation.quote and citation.end <= page.main_end
