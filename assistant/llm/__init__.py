"""The assistant's LLM layer. LangChain lives here and nowhere else in the project.

Import the submodules directly (`assistant.llm.backend`, `assistant.llm.schemas`); this package
module stays empty so that importing the schemas does not load LangChain.
"""
