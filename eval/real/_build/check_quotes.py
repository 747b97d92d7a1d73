"""Checks every gold quote of eval/real against the parsed document text (ingestion.parse).

tests/eval/test_gold_files.py checks the same in the suite; this prints every miss at once while building.
"""
import sys
import unicodedata
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repo root
from ingestion.parse import parse_file

REAL = Path(__file__).resolve().parents[1]


def norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


bad = 0
for gold in sorted(REAL.glob("*/gold.yaml")):
    g = yaml.safe_load(gold.read_text(encoding="utf-8"))
    texts = {}
    for it in g["items"]:
        for ev in it.get("evidence") or []:
            f = gold.parent / "docs" / ev["file"]
            if f not in texts:
                texts[f] = norm(parse_file(f).text)
            if norm(ev["quote"]) not in texts[f]:
                bad += 1
                print("MISSING", gold.parent.name, it["id"], it.get("sub"), ev["quote"])
print("bad quotes:", bad)
