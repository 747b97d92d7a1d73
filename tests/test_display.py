"""core.display.safe_name: names shown in logs and terminal lines cannot forge lines or reorder text."""

from core.display import safe_name


def test_control_bidi_and_separator_characters_are_escaped():
    assert safe_name("报告\n失败：伪造的一行.txt") == "报告\\n失败：伪造的一行.txt"
    assert safe_name("年报\u202efdp.exe") == "年报\\u202efdp.exe"
    assert safe_name("\x1b[31m红\x1b[0m") == "\\x1b[31m红\\x1b[0m"
    assert safe_name("a\u2028b\u2066c\u200fd\tе\r") == "a\\u2028b\\u2066c\\u200fd\\tе\\r"


def test_ordinary_names_are_unchanged():
    for name in ("香河县 2023 年 报告（终稿）.pdf", "附件..\\..\\逃逸2.txt", "-rf.txt", "[bold]标记[/bold].txt"):
        assert safe_name(name) is name
