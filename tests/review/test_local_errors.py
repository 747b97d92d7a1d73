"""Errors stay local: a failing UI handler answers with a Chinese line for its message output and leaves
every other output as it was (gr.skip()); refusals are logged in one line, failures with their traceback."""

from __future__ import annotations

import logging

import gradio as gr
from sqlalchemy.exc import OperationalError

from review.app import Refused, local_errors
from review.store import DecisionError

SKIP = gr.skip()


def _handler(exc: Exception | None):
    @local_errors("改分", 4, 2)
    def handler(a, b, request: gr.Request = None):  # the wrapped signature is what Gradio inspects
        if exc is not None:
            raise exc
        return "表格", "当前项", "已保存", "合计"
    return handler


def test_success_passes_through():
    assert _handler(None)(1, 2) == ("表格", "当前项", "已保存", "合计")


def test_a_refusal_is_shown_beside_its_control_and_logged_in_one_line(caplog):
    caplog.set_level(logging.INFO, logger="review.app")
    for exc in (Refused("改分必须填写理由"), DecisionError("复核得分须为 0.5 分的整数倍：3.05 不符合")):
        out = _handler(exc)(1, 2)
        assert out[0] == out[1] == out[3] == SKIP  # the table, the panel, the totals: as they were
        assert str(exc) in out[2] and 'class="zw-err"' in out[2]
    assert [r.getMessage() for r in caplog.records] == ["改分未完成：改分必须填写理由",
                                                        "改分未完成：复核得分须为 0.5 分的整数倍：3.05 不符合"]
    assert all(r.exc_info is None for r in caplog.records)  # no traceback for a refusal


def test_a_failure_is_said_in_chinese_and_logged_with_its_traceback(caplog):
    caplog.set_level(logging.INFO, logger="review.app")
    locked = OperationalError("UPDATE decisions", {}, Exception("database is locked"))
    out = _handler(locked)(1, 2)
    assert out[2].count("改分失败：复核库暂时无法写入") == 1 and "database" not in out[2]
    out = _handler(KeyError("1.1.9#3"))(1, 2)
    assert "改分失败：服务器内部错误" in out[2] and "KeyError" not in out[2]
    out = _handler(ValueError("invalid literal for int() with base 10: 'x'"))(1, 2)  # no Chinese: a bug
    assert "服务器内部错误" in out[2] and "invalid literal" not in out[2]
    assert [r.exc_info is not None for r in caplog.records] == [True, True, True]


def test_gradio_sees_the_handlers_own_signature():
    import inspect

    assert list(inspect.signature(_handler(None)).parameters) == ["a", "b", "request"]
