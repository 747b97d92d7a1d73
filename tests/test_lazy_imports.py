"""An offline screen imports nothing it does not use (issue 15): LangChain and the OpenAI SDK only when a model
is configured, Chroma only when dense retrieval is on, Gradio only for the UI. Checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("langchain", "langchain_core", "langchain_openai", "openai", "chromadb", "gradio", "sentence_transformers",
         "torch")

SCRIPT = """
import json, sys
from pathlib import Path
import assistant.cli, assistant.screen, assistant.review, eval.harness, ingestion.workspace
from indicators.rules.base import load_all_rules
from assistant.llm.backend import make_backend
from core.settings import Settings
load_all_rules()
make_backend(Settings(llm="none", embedding_backend="none"), None)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_the_offline_path_imports_no_model_library():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_configured_model_still_gets_langchain(tmp_path):
    script = ("import sys\nfrom core.settings import Settings\nfrom assistant.llm.backend import make_backend\n"
              "b = make_backend(Settings(llm='openai', llm_base_url='http://127.0.0.1:9/v1', llm_model='m'), None)\n"
              "print(type(b).__name__, 'langchain_core' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["OpenAICompatible", "True"]


def test_a_command_loads_only_its_own_module():
    script = ("import json, sys, click\nfrom zwgk.cli import main\n"
              "main.get_command(click.Context(main), 'screen')\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.endswith('.cli') or m.endswith('_cli'))))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "assistant.cli" in loaded
    assert not loaded & {"review.cli", "review.gold_cli", "eval.cli", "indicators.cli", "assistant.roster_cli"}, loaded


def test_a_screen_with_nothing_to_export_loads_no_document_writer():
    """XlsxWriter and python-docx load when an export is written (an unchanged re-run writes none); openpyxl,
    which reads ledgers, is not needed to write at all."""
    script = ("import json, sys\nimport assistant.cli, assistant.screen, assistant.export\n"
              "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not loaded & {"xlsxwriter", "docx", "openpyxl"}, sorted(loaded & {"xlsxwriter", "docx", "openpyxl"})


def test_the_program_ends_without_the_last_garbage_collection():
    """`zwgk` (the console script and python -m zwgk) freezes the collector once the command is done: the
    interpreter's final collection walked every object of a screen (0.2 s). main() itself, which tests call
    in their own process, leaves the collector alone."""
    script = ("import gc, sys\nfrom zwgk.cli import main, run\nsys.argv = ['zwgk', '--version']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\nafter_main = gc.get_freeze_count()\n"
              "try:\n    run()\nexcept SystemExit:\n    pass\nprint(after_main, gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["0", "True"]
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'zwgk = "zwgk.cli:run"' in pyproject
