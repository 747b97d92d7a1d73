"""Indicators: the scoring core. Catalog (what is scored), rules (what can be computed), scoring.

No LangChain, Chroma or Gradio here: this package depends only on the document model.
"""
