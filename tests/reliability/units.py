"""A folder of small evidence sets: `n_units` units with five documents each (txt, docx, pdf)."""

from __future__ import annotations

from pathlib import Path

from tests.ingestion.makefiles import H, make_docx, make_pdf

COUNTIES = ["香河县", "大城县", "文安县", "固安县", "永清县"]
BODIES = ["人民政府", "教育和体育局", "卫生健康局", "自然资源和规划局"]


def unit_names(n_units: int) -> list[str]:
    return [f"{COUNTIES[i % len(COUNTIES)]}{BODIES[(i // len(COUNTIES)) % len(BODIES)]}" for i in range(n_units)]


def write_units(root: Path, n_units: int = 10) -> list[str]:
    names = unit_names(n_units)
    for i, unit in enumerate(names):
        d = root / unit
        d.mkdir(parents=True, exist_ok=True)
        n = 100 + 7 * i
        make_pdf(d / f"{unit}2023年政府信息公开工作年度报告.pdf", [
            H(f"{unit}2023年政府信息公开工作年度报告"),
            H("一、总体情况"),
            f"2023年，{unit}认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息{n}条。",
            H("二、主动公开政府信息情况"), f"本年度制发规章0件，规范性文件{i % 3}件。",
            H("三、收到和处理政府信息公开申请情况"), f"本年新收政府信息公开申请{i + 2}件，均按期答复。",
            H("四、政府信息公开行政复议、行政诉讼情况"), "本年度未发生行政复议和行政诉讼案件。",
            H("五、存在的主要问题及改进情况"), "政策解读形式较为单一，下一步将丰富图解、视频等形式。",
            H("六、其他需要报告的事项"), "本年度未收取信息处理费。",
        ])
        make_docx(d / "政策解读.docx", [f"关于《{unit}2023年政务公开工作要点》的政策解读",
                                      "一、起草背景", f"为深入推进政务公开，{unit}制定本要点。",
                                      "二、主要内容", "要点共分五个部分，明确了主动公开、解读回应等任务。"])
        (d / "依申请公开答复书.txt").write_text(
            f"{unit}政府信息公开申请答复书\n申请人：张某\n你于2023年3月{i + 1}日提出的政府信息公开申请收悉。"
            f"经查，你申请的信息属于公开范围，现予以公开。\n{unit}\n2023年3月{i + 10}日\n", encoding="utf-8")
        (d / "工作要点.txt").write_text(
            f"{unit}2023年政务公开工作要点\n一、加强政策解读，重要政策文件与解读材料同步起草、同步审签、同步发布。\n"
            "二、做好政府信息公开申请办理工作，依法依规按时答复。\n", encoding="utf-8")
        make_docx(d / "会议纪要.docx", [f"{unit}政务公开工作领导小组会议纪要",
                                      f"2023年6月{i + 1}日，{unit}召开政务公开工作领导小组会议，研究部署年度重点工作。"])
    return names
