"""Ingestion: evidence files -> typed Documents (text, blocks, spans) -> chunks -> hybrid index."""
