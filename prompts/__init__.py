"""Prompt templates, shipped as package data and reviewed like code."""
