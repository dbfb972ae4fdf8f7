"""One settings object, read once from the environment (prefix ASSISTANT_) or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable; passed down explicitly, never re-read by other modules."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path(".assistant"), description="Where the index, manifest and feedback live.")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder ingested by default.")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Fixed user-facing texts and prompts.")
    corpus_ignore: list[str] = Field(
        default_factory=lambda: ["README.md", "SOURCE.md", "*.meta.toml", ".*"],
        description="Glob patterns of files in the corpus that are not documents.",
    )
    default_audience: Literal["public", "practitioners"] = Field(
        "practitioners", description="Audience of a document with no sidecar: never shown publicly by default."
    )

    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded store in data_dir.")
    chroma_port: int = Field(8000, description="Chroma server port.")
    collection: str = Field("partnership_guidance", description="Chroma collection name.")

    embed_batch_size: int = Field(32, description="Chunks per embedding batch.")
    chunk_tokens: int = Field(240, description="Largest chunk, in the embedding model's word pieces.")

    dense_k: int = Field(30, description="Candidates taken from the vector store.")
    keyword_k: int = Field(30, description="Candidates taken from BM25.")
    fusion: Literal["score", "rrf"] = Field("score", description="How dense and BM25 lists are combined.")
    dense_weight: float = Field(0.35, description="Weight of the dense list in fusion.")
    keyword_weight: float = Field(0.65, description="Weight of the BM25 list in fusion.")
    dense_floor: float = Field(0.2, description="Cosine similarity that counts as no evidence in score fusion.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant (fusion=rrf).")
    retrieval_mode: Literal["hybrid", "dense", "keyword"] = Field("hybrid", description="Which lists are searched.")
    rerank: bool = Field(False, description="Rerank fused candidates with the cross-encoder (extra `rerank`).")
    rerank_candidates: int = Field(20, description="Fused candidates the cross-encoder rescores.")
    top_k: int = Field(8, description="Fused chunks handed to the answerer.")

    answerer: Literal["extractive"] = Field("extractive", description="Which answerer composes answers.")
    max_sentences: int = Field(3, description="Most sentences quoted in an extractive answer.")
    embedded_candidates: int = Field(24, description="Candidate sentences compared with the question by embedding.")
    refusal_threshold: float = Field(0.31, description="Best evidence score below which we refuse.")
    closest_sources: int = Field(3, description="Closest sources offered with a refusal.")

    # --- Slack ---
    # Slack's usual variable names (no ASSISTANT_ prefix); the prefixed names work too.
    slack_bot_token: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_BOT_TOKEN", "ASSISTANT_SLACK_BOT_TOKEN", "slack_bot_token"),
        description="Bot token (xoxb-…) the Slack app posts answers with.",
    )
    slack_signing_secret: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "SLACK_SIGNING_SECRET", "ASSISTANT_SLACK_SIGNING_SECRET", "slack_signing_secret"
        ),
        description="Verifies requests to /slack/events; when set, `assistant serve` mounts the Slack app.",
    )
    slack_app_token: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_APP_TOKEN", "ASSISTANT_SLACK_APP_TOKEN", "slack_app_token"),
        description="App-level token (xapp-…) for Socket Mode (`assistant slack`).",
    )
    slack_api_url: str | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_API_URL", "ASSISTANT_SLACK_API_URL", "slack_api_url"),
        description="Base URL of Slack's Web API; unset = https://slack.com/api/ (tests point it elsewhere).",
    )

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite3"

    @property
    def keyword_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.sqlite3"
