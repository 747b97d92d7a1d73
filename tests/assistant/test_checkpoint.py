"""Checkpoints: an interrupted run resumes; changed inputs are recomputed."""

from __future__ import annotations

from assistant.checklist import ChecklistItem
from assistant.checkpoint import FindingCheckpoint, fingerprint
from assistant.judge import ItemInput, review_items
from assistant.llm.backend import make_backend
from indicators.findings import Finding, Source, Verdict
from tests.assistant.helpers import chunks_by_block
from tests.docbuilder import DocBuilder
from zwgk.settings import Settings


def finding(points: float) -> Finding:
    return Finding(indicator_id="6.1.2", max_points=2, verdict=Verdict.partial, suggested_points=points)


def test_put_get_reopen_and_torn_lines(tmp_path):
    cp = FindingCheckpoint.for_unit(tmp_path, "永清县人民政府")
    cp.put(("6.1.2", None), "fp1", finding(1.0))
    cp.put(("6.1.1", 1), "fp2", finding(0.5))
    cp.put(("6.1.2", None), "fp3", finding(1.5))  # recomputed later: the last record wins
    with cp.path.open("a", encoding="utf-8") as f:
        f.write('{"id": "6.1.3", "sub": null, "fingerpr')  # the run was killed mid-write

    again = FindingCheckpoint.for_unit(tmp_path, "永清县人民政府")
    assert len(again) == 2
    assert again.get(("6.1.2", None), "fp3").suggested_points == 1.5
    assert again.get(("6.1.2", None), "fp1") is None  # inputs changed since
    assert again.get(("6.1.1", 1), "fp2").suggested_points == 0.5
    assert fingerprint(finding(1.0), [1, "a"]) == fingerprint(finding(1.0), (1, "a"))
    assert fingerprint(finding(1.0)) != fingerprint(finding(1.5))


def test_review_resumes_from_checkpoint_without_model_calls(llm_stub, tmp_path):
    doc = DocBuilder("培训记录.docx", unit="永清县人民政府", year=2023).para("2023年5月举办政务公开专题培训1期。").build()
    items = [ChecklistItem(indicator_id="6.1.2", level1="保障措施", level2="机构设置和作用发挥", level3="培训交流",
                           requirement="开展政务公开培训交流", max_points=2.0),
             ChecklistItem(indicator_id="6.1.3", level1="保障措施", level2="机构设置和作用发挥", level3="宣传推广",
                           requirement="开展政务公开宣传推广", max_points=2.0)]
    baseline = [Finding(indicator_id=i.indicator_id, max_points=2, verdict=Verdict.insufficient_evidence,
                        suggested_points=0, source=Source.none) for i in items]
    answer = {"verdict": "met", "suggested_points": 2.0, "rationale": "已开展培训。",
              "citations": [{"passage": 1, "quote": "举办政务公开专题培训1期"}]}
    settings = Settings(llm="openai", llm_base_url=llm_stub.base_url, llm_backoff_seconds=0.01)

    def run(passage_doc):
        inputs = [ItemInput(item=i, baseline=b, checks=[], passages=chunks_by_block(passage_doc))
                  for i, b in zip(items, baseline, strict=True)]
        backend = make_backend(settings, None)  # no response cache: only the checkpoint can save calls
        cp = FindingCheckpoint.for_unit(tmp_path, "永清县人民政府")
        return review_items(backend, inputs, {passage_doc.doc_id: passage_doc}, unit="永清县人民政府", year=2023,
                            checkpoint=cp)

    llm_stub.answer(answer, times=2)
    first = run(doc)
    assert llm_stub.calls == 2 and [f.suggested_points for f in first] == [2.0, 2.0]
    second = run(doc)
    assert llm_stub.calls == 2 and second == first

    changed = DocBuilder("培训记录.docx", unit="永清县人民政府", year=2023).para("2023年举办政务公开专题培训1期。").build()
    llm_stub.answer({**answer, "suggested_points": 1.0, "verdict": "partial"}, times=2)
    third = run(changed)
    assert llm_stub.calls == 4 and [f.suggested_points for f in third] == [1.0, 1.0]
