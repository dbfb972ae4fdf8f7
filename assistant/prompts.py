"""Fixed user-facing texts and prompts, read from files in prompts/ so they can change without code."""

from __future__ import annotations

from pathlib import Path


class Prompts:
    """The texts in the prompts folder, read once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.emergency = self._read("emergency.md")
        self.not_covered = self._read("not_covered.md")
        self.urgent_guidance = self._read("urgent_guidance.md")
        self.national_guidance = self._read("national_guidance.md")

    def read(self, name: str) -> str:
        """Any other text in the folder, by file name (the LLM prompts are read this way, when used)."""
        return self._read(name)

    def _read(self, name: str) -> str:
        path = self.directory / name
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise FileNotFoundError(f"{path}: prompt file missing; set ASSISTANT_PROMPTS_DIR or restore it") from exc
