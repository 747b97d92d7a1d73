"""Offline guards, applied before any heavy library is imported.

The machines reach package registries only. These switches stop Gradio, Hugging Face,
transformers and Chroma from phoning home (see shared/spec/stack-notes.md).
"""

import os

_SWITCHES = {
    "GRADIO_ANALYTICS_ENABLED": "False",  # must be set before `import gradio`
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",  # chromadb
    "TOKENIZERS_PARALLELISM": "false",
}

for _key, _value in _SWITCHES.items():
    os.environ.setdefault(_key, _value)
