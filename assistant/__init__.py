"""Assistant: per-item review pipeline (retrieval -> rules -> optional LLM -> verified citations -> points)."""
