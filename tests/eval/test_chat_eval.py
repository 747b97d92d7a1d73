"""Chat questions in the eval harness (SAMPLES_DIR/chat.yaml): loading, grading, metrics, report, gate; and the
repo's own questions (eval/real, eval/samples) checked against their documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.ask import ChatCitation, ChatReply
from assistant.llm.backend import NoLLM
from core.errors import ConfigError
from eval.chat import ChatEvidence, ChatQuestion, grade, load_chat
from eval.compare import gate_regressions
from eval.gold import load_case
from eval.harness import evaluate, write_outputs
from ingestion.parse import parse_file
from tests.docbuilder import DocBuilder
from tests.eval.test_harness import build_samples
from zwgk.cli import main

ROOT = Path(__file__).resolve().parents[2]

CHAT = """questions:
  - id: reply-number
    case: wenan-2023-reply
    question: 答复书的文号是什么？
    facts: ["文政公开〔2023〕5号"]
    evidence:
      - file: 答复书.txt
        quote: 文政公开〔2023〕5号
  - id: reply-phone
    case: wenan-2023-reply
    question: 答复机关的联系电话是多少？
    silent: true
  - id: nodocs-address
    case: yongqing-2023-nodocs
    question: 永清县人民政府的办公地址在哪里？
    facts: ["永清县永安路1号"]
    evidence:
      - file: 指南.txt
        quote: 办公地址：永清县永安路1号
"""


@pytest.fixture
def samples(tmp_path):
    samples = build_samples(tmp_path)
    (samples / "chat.yaml").write_text(CHAT, encoding="utf-8")
    return samples


def test_the_harness_asks_grades_and_reports_the_chat_questions(samples, tmp_path):
    run = evaluate(samples, tmp_path / "out", NoLLM())
    chat = run.metrics["chat"]
    assert (chat["questions"], chat["correct"], chat["silent_questions"], chat["silent_correct"]) == (3, 2, 1, 1)
    assert chat["wrong"] == ["nodocs-address"]  # a case without documents: 材料未提及, not the address
    assert run.metrics["chat_accuracy"] == pytest.approx(2 / 3)
    number = next(r for r in run.chat if r["id"] == "reply-number")
    assert number["answer_ok"] and number["citation_ok"]
    assert number["citations"][0]["quote"] == "文政公开〔2023〕5号"
    paths = write_outputs(run, tmp_path / "out")
    assert [r["id"] for r in json.loads(paths["chat"].read_text(encoding="utf-8"))] == \
        ["reply-number", "reply-phone", "nodocs-address"]
    report = paths["report"].read_text(encoding="utf-8")
    assert "## 问答（chat.yaml）" in report and "事实与引文均正确 2 个（66.7%）" in report
    assert "永清县人民政府的办公地址在哪里？" in report  # the wrong one is listed
    # the gate: a set whose baseline answered every question fails when one goes wrong
    assert gate_regressions({"chat_accuracy": 1.0}, run.metrics) == ["chat_accuracy 变差：基线 1.0，本次 0.6666666666666666"]


def test_only_the_questions_of_the_cases_run_and_none_without_a_chat_file(samples, tmp_path):
    run = evaluate(samples, tmp_path / "out", NoLLM(), cases=["wenan-2023-reply"])
    assert run.metrics["chat"]["questions"] == 2 and run.metrics["chat_accuracy"] == 1.0
    (samples / "chat.yaml").unlink()
    run = evaluate(samples, tmp_path / "out", NoLLM(), reuse=True)
    assert "chat" not in run.metrics and "chat_accuracy" not in run.metrics and run.chat == []


def test_cli_prints_the_chat_figures(samples, tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_EMBEDDING_BACKEND", "none")
    result = CliRunner().invoke(main, ["eval", str(samples), "--out", str(tmp_path / "o"), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["chat"]["correct"] == 2
    assert "问答 3 题：事实与引文均正确 2 题（66.7%）" in result.stderr and "答错：nodocs-address" in result.stderr


def test_a_broken_chat_file_is_a_configuration_error(samples, tmp_path):
    (samples / "chat.yaml").write_text(CHAT.replace("    silent: true", "    silent: true\n    facts: ['1']"),
                                       encoding="utf-8")
    with pytest.raises(ConfigError, match="silent"):
        load_chat(samples)
    (samples / "chat.yaml").write_text(CHAT.replace("id: reply-phone", "id: reply-number"), encoding="utf-8")
    with pytest.raises(ConfigError, match="问题编号重复：reply-number"):
        load_chat(samples)
    (samples / "chat.yaml").write_text(CHAT.replace("case: yongqing-2023-nodocs", "case: nowhere"), encoding="utf-8")
    assert "问答题所属样例 nowhere 不存在" in evaluate(samples, tmp_path / "out", NoLLM()).problems
    assert CliRunner().invoke(main, ["eval", str(samples), "--out", str(tmp_path / "o")]).exit_code == 1


def _doc():
    return (DocBuilder("年报.txt").para("一、本年新收政府信息公开申请数量 15 0 3 0 0 0 18")
            .para("全年新收政府信息公开申请18件。").build())


def _cite(doc, quote, label=None, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(quote, start + 1)
    return ChatCitation(file=doc.file, doc_id=doc.doc_id, start=start, end=start + len(quote), quote=quote, label=label)


def test_grading_wants_the_fact_and_the_cell_that_holds_it():
    doc = _doc()
    q = ChatQuestion(id="q", case="c", question="新收多少件？", facts=["18"], evidence=[ChatEvidence(
        file="年报.txt", quote="一、本年新收政府信息公开申请数量 15 0 3 0 0 0 18", cell="表三·本年新收政府信息公开申请数量·总计")])
    total = _cite(doc, "18", "表三·本年新收政府信息公开申请数量·总计")
    right = grade(q, ChatReply(answer="表三·本年新收政府信息公开申请数量·总计 = 18[1]。\n\n依据：\n[1] …", citations=[total]), [doc])
    assert right["answer_ok"] and right["citation_ok"] and right["correct"]
    # the same figure from the narrative: right fact, but not the cell the gold names
    prose = _cite(doc, "全年新收政府信息公开申请18件")
    assert not grade(q, ChatReply(answer="“全年新收政府信息公开申请18件”[1]。", citations=[prose]), [doc])["citation_ok"]
    # another cell of the row: inside the row's span, wrong labels
    natural = _cite(doc, "15", "表三·本年新收政府信息公开申请数量·自然人")
    assert not grade(q, ChatReply(answer="…总计 = 18[1]", citations=[natural]), [doc])["citation_ok"]
    # a figure counts only as a whole number, and the list of sources is not the answer
    assert not grade(q, ChatReply(answer="共118件[1]。\n\n依据：\n[1] 18", citations=[total]), [doc])["answer_ok"]
    silent = ChatQuestion(id="s", case="c", question="传真号码是多少？", silent=True)
    assert grade(silent, ChatReply(answer="材料未提及传真号码。"), [doc])["correct"]
    assert not grade(silent, ChatReply(answer="材料未提及传真号码。", citations=[total]), [doc])["citation_ok"]
    assert not grade(silent, ChatReply(answer="传真：0316-1234567[1]。", citations=[total]), [doc])["answer_ok"]


@pytest.mark.parametrize("set_dir", ["eval/real", "eval/samples"])
def test_the_repos_chat_questions_hold_against_their_documents(set_dir):
    questions = load_chat(ROOT / set_dir)
    assert questions
    for q in questions:
        case = load_case(ROOT / set_dir / q.case, strict=True)  # the case exists and is sound
        for ev in q.evidence:
            doc = parse_file(case.docs_dir / ev.file)
            assert doc.find(ev.quote) is not None, (q.id, ev.quote)
            assert all(any(f in normalized for normalized in (doc.text, ev.quote)) for f in q.facts), q.id


def test_twenty_questions_with_at_least_three_the_material_does_not_answer():
    questions = load_chat(ROOT / "eval/real") + load_chat(ROOT / "eval/samples")
    assert len(questions) == 20 and sum(q.silent for q in questions) >= 3
    assert sum(not q.silent and any(ev.cell for ev in q.evidence) for q in questions) >= 6  # figures of tables 二/三/四
