"""Checks every gold quote of the d5 cases against the parsed document text (ingestion.parse)."""
import sys
import unicodedata
from pathlib import Path

import yaml

sys.path.insert(0, "/work/main")
from ingestion.parse import parse_file  # noqa: E402

REAL = Path(__file__).resolve().parents[1]
CASES = ["futian-jtjj-2021-agency-annual", "hunnan-guoziju-2022-dept-annual-txt",
         "jiaxian-xizhen-2022-annual-flat-txt", "wuchang-beiyinhe-2022-annual-pdf",
         "yungang-shangwu-2022-dept-annual"]


def norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


bad = 0
for case in CASES:
    gold = REAL / case / "gold.yaml"
    if not gold.exists():
        continue
    g = yaml.safe_load(gold.read_text(encoding="utf-8"))
    texts = {}
    for it in g["items"]:
        for ev in it.get("evidence") or []:
            f = gold.parent / "docs" / ev["file"]
            if f not in texts:
                texts[f] = norm(parse_file(f).text)
            if norm(ev["quote"]) not in texts[f]:
                bad += 1
                print("MISSING", case, it["id"], it.get("sub"), ev["quote"])
print("bad quotes:", bad)
