"""Human review: the durable decision store (confirm / override / comment, audit trail) and the Gradio UI.

The human decides; the assistant proposes. Decisions live beside the workspace and survive re-runs.
"""
