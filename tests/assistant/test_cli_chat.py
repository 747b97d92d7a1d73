"""`zwgk chat --json` (cli-contract.md): one JSON document {answer, citations, indicator}; each citation as in
scorecards plus its `label` (the table cell's table, row and column)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from core.document import DocType
from ingestion.workspace import Workspace
from review.present import citation_label
from tests.docbuilder import DocBuilder
from tests.rules.annual_builders import build_report
from zwgk.cli import main

UNIT = "香河县交通运输局"
CITATION_KEYS = {"file", "page", "start", "end", "quote", "label"}


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_EMBEDDING_BACKEND", "none")
    guide = (DocBuilder("政府信息公开指南.html", DocType.disclosure_guide, unit=UNIT)
             .para("受理机构：香河县交通运输局办公室。").para("联系电话：0316-8310001。").build())
    with Workspace(tmp_path / "ws") as ws:
        ws.add_document(build_report(year=2023))
        ws.add_document(guide)
    return tmp_path / "ws"


def chat(*args: str):
    return CliRunner().invoke(main, ["chat", *args], catch_exceptions=False)


def test_json_carries_the_answer_and_the_labelled_cell(workspace):
    result = chat("本年度新收政府信息公开申请多少件？", "--workspace", str(workspace), "--unit", UNIT, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)  # stdout holds the JSON document and nothing else
    assert set(data) == {"answer", "citations", "indicator"} and data["indicator"] is None
    assert data["answer"].startswith("表三·本年新收政府信息公开申请数量·总计 = 49[1]。")
    (c,) = data["citations"]
    assert set(c) == CITATION_KEYS
    assert (c["label"], c["quote"], c["file"]) == ("表三·本年新收政府信息公开申请数量·总计", "49", "香河县交通运输局2023年报.txt")
    with Workspace(workspace) as ws:
        doc = next(d for d in ws.documents(UNIT) if d.file == c["file"])
    assert doc.text[c["start"]:c["end"]] == "49" and c["page"] == 1


def test_json_of_a_passage_and_of_silence(workspace):
    phone = json.loads(chat("受理机构的联系电话是多少？", "--workspace", str(workspace), "--json").stdout)
    (c,) = phone["citations"]  # the agency's line and its phone line: whose number, and the number
    assert c["quote"].endswith("联系电话：0316-8310001") and c["label"] is None and set(c) == CITATION_KEYS
    silent = json.loads(chat("受理机构的传真号码是多少？", "--workspace", str(workspace), "--json").stdout)
    assert silent == {"answer": "材料未提及受理机构的传真号码。", "citations": [], "indicator": None}
    plain = chat("联系电话是多少？", "--workspace", str(workspace))
    assert plain.stdout.startswith("《政府信息公开指南.html》：“联系电话：0316-8310001”[1]。")


def test_the_ui_lists_a_cell_citation_with_its_labels(workspace):
    from assistant.ask import ChatCitation

    c = ChatCitation(file="年报.pdf", doc_id="d", page=2, start=5, end=7, quote="49", label="表三·本年新收政府信息公开申请数量·总计")
    assert citation_label(1, c) == "[1] 年报.pdf 第2页：表三·本年新收政府信息公开申请数量·总计 = 49"
