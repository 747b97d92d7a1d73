"""String enums that carry their Chinese label: the label sits next to the value it names."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """Members are declared as `name = "value", "中文标签"`; `member.label` is the label."""

    label: str

    def __new__(cls, value: str, label: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def labels(cls) -> dict[LabelledEnum, str]:
        return {m: m.label for m in cls}
