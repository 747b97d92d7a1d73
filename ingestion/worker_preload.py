"""Imported by the parse workers' forkserver only (ingestion.parallel._PRELOAD): loads jieba's
dictionary once (~0.6 s), so that every worker forked from it starts with it loaded."""

from ingestion.tokenize import load_dictionary

load_dictionary()
