"""Prompt templates, shipped as package data and reviewed like code.

Each template is a Markdown file with a YAML front-matter naming its role and variables:

    ---
    role: human            # system | human
    with_system: true      # prepend system.md (human templates only)
    variables: [a, b]      # exactly the {placeholders} of the body; checked on load
    ---
    body with {a} and {b}  (f-string syntax; literal braces doubled)

`load_prompt(name)` returns a LangChain ChatPromptTemplate. Only assistant/llm/ calls it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from langchain_core.prompts import ChatPromptTemplate

ROLES = {"system", "human"}


class PromptError(ValueError):
    """A template file is missing or its front-matter disagrees with its body."""


@dataclass(frozen=True)
class PromptFile:
    name: str
    role: str
    with_system: bool
    variables: tuple[str, ...]
    description: str
    body: str


def _read(name: str) -> PromptFile:
    res = resources.files(__package__).joinpath(f"{name}.md")
    if not res.is_file():
        raise PromptError(f"no prompt template {name}.md")
    raw = res.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise PromptError(f"{name}.md: missing YAML front-matter")
    head, sep, body = raw[4:].partition("\n---\n")
    if not sep:
        raise PromptError(f"{name}.md: unterminated front-matter")
    meta = yaml.safe_load(head) or {}
    role = meta.get("role", "human")
    if role not in ROLES:
        raise PromptError(f"{name}.md: role must be one of {sorted(ROLES)}")
    return PromptFile(
        name=name,
        role=role,
        with_system=bool(meta.get("with_system", False)) and role == "human",
        variables=tuple(meta.get("variables") or ()),
        description=str(meta.get("description", "")),
        body=body.strip("\n"),
    )


@cache
def prompts_version() -> str:
    """A hash of every template: part of checkpoint fingerprints, so editing a prompt re-runs items."""
    digest = hashlib.sha256()
    for name in prompt_names():
        digest.update(resources.files(__package__).joinpath(f"{name}.md").read_bytes())
    return digest.hexdigest()[:16]


def prompt_names() -> list[str]:
    return sorted(p.name[:-3] for p in resources.files(__package__).iterdir() if p.name.endswith(".md"))


@cache
def load_prompt(name: str) -> ChatPromptTemplate:
    """The named template as a ChatPromptTemplate (system.md first when the file asks for it)."""
    from langchain_core.prompts import ChatPromptTemplate  # only where a model is asked: costs a second
    pf = _read(name)
    messages: list[tuple[str, str]] = []
    if pf.with_system:
        messages.append(("system", _read("system").body))
    messages.append((pf.role, pf.body))
    template = ChatPromptTemplate.from_messages(messages)
    declared, found = set(pf.variables), set(template.input_variables)
    if declared != found:
        raise PromptError(
            f"{name}.md: front-matter variables {sorted(declared)} differ from the body's {sorted(found)}"
        )
    return template
