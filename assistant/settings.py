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

    reload_check_seconds: float = Field(
        2.0, ge=0, description="How often a running server looks for a newer index (an ingest that finished)."
    )

    minilm_runtime: Literal["onnx", "torch"] = Field(
        "onnx",
        description="What runs all-MiniLM-L6-v2 (answer sentences, grounding, themes): onnxruntime, on a copy "
        "exported once into model_cache_dir (same vectors; a question in 7 ms, not 17), or torch.",
    )
    model_cache_dir: Path = Field(
        Path.home() / ".cache" / "partnership-assistant", description="Where the ONNX export of MiniLM is kept."
    )
    embed_batch_size: int = Field(32, description="Chunks per embedding batch.")
    ingest_write_chunks: int = Field(
        512, ge=1, description="Chunks embedded, then written, at a time: a killed ingest keeps what it wrote."
    )
    chunk_tokens: int = Field(240, description="Largest chunk, in the embedding model's word pieces.")
    dense_model: Literal["all-MiniLM-L6-v2", "bge-small-en-v1.5"] = Field(
        "bge-small-en-v1.5",
        description="Model of the vector store's chunk and question vectors; changing it re-embeds the corpus "
        "at the next ingest (and wants the weights and thresholds chosen for it; see README). Answers' sentences "
        "always use MiniLM.",
    )

    dense_k: int = Field(30, description="Candidates taken from the vector store.")
    keyword_k: int = Field(30, description="Candidates taken from BM25.")
    fusion: Literal["score", "rrf"] = Field("score", description="How dense and BM25 lists are combined.")
    dense_weight: float = Field(0.5, description="Weight of the dense list in fusion.")
    keyword_weight: float = Field(0.5, description="Weight of the BM25 list in fusion.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant (fusion=rrf).")
    definition_boost: float = Field(
        0.5, description="Added to the fused score of a chunk that defines what a \"what is X?\" question asks "
        "about, or sits under a heading naming it (score fusion; 0 = off). Chosen on the tune split: 0.4 to 1.0 score "
        "the same.")
    retrieval_mode: Literal["hybrid", "dense", "keyword"] = Field("hybrid", description="Which lists are searched.")
    rerank: bool = Field(False, description="Rerank fused candidates with the cross-encoder (extra `rerank`).")
    rerank_candidates: int = Field(20, description="Fused candidates the cross-encoder rescores.")
    name_boost: float = Field(
        0.15, description="Added to the fused score of a chunk that mentions every name, year and part the question "
        "names, where those single out at most three of the candidates (score fusion; 0 = off). A passage that comes "
        "forward only for that must also answer something else the question asks. Chosen on the tune split: 0.15 "
        "and 0.3 answer the same.")
    top_k: int = Field(8, description="Fused chunks handed to the answerer.")

    answerer: Literal["extractive", "llm"] = Field(
        "extractive", description="Which answerer composes answers: quotes (extractive) or an LLM, checked (llm)."
    )
    max_sentences: int = Field(3, description="Most sentences quoted in an extractive answer.")
    embedded_candidates: int = Field(24, description="Candidate sentences compared with the question by embedding.")
    refusal_threshold: float = Field(0.32, description="Best evidence score below which we refuse.")
    urgent_refusal_threshold: float = Field(
        0.35, description="The same for urgent questions: a weak match must not compete with the emergency advice."
    )
    urgent_guidance_query: str = Field(
        "concerns about a child's welfare: act on them immediately, refer to children's social care and the police",
        description="The guidance on acting at once on a concern about a child: searched for together with every "
        "urgent question, and quoted instead of a refusal when an urgent account of harm is not covered as such. "
        "Empty: neither.",
    )
    home_area: str = Field(
        "Somerset", description="The partnership's own area, as its documents name it. National guidance applies "
        "there: a question asking what to do there (\"How do I make a referral to children's social care in "
        "Somerset?\") is also asked without the area's name, and answered from the national guidance, after a line "
        "saying so (prompts/national_guidance.md), unless the cross-encoder reads the answer from passages naming the "
        "area as at least as relevant. A fact about the area must still come from a passage naming it. Empty: none.")
    scope_share: float = Field(
        0.8,
        ge=0,
        le=1,
        description="A passage naming the question's years and places is answered from, ahead of better-ranked "
        "ones that don't, if it scores at least this share of the best passage.",
    )
    answer_check_threshold: float = Field(
        -3.0,
        description="The cross-encoder's logit for the question and the answer's text below which a checked answer "
        "is refused as answering something else. Chosen on the tune split: a logit below its lowest answered "
        "question's (-2.3).",
    )
    answer_check_evidence: float = Field(
        0.55,
        ge=0,
        description="Answers with evidence below this are checked by the cross-encoder (15-30 ms each), except urgent "
        "ones; 0 = none. No question the guidance does not cover reached 0.52 among the 50 we asked.",
    )
    answer_check_rare_threshold: float = Field(
        4.0,
        description="A checked answer (see answer_check_evidence) that the cross-encoder reads below this logit (not "
        "clearly relevant) is refused when the question has an English word the guidance hardly uses (see "
        "answer_check_rare_passages) and the answer does not use it (\"What should I wear to a child protection "
        "conference?\", 3.4). Chosen on the tune split and our own questions: above 4.0, answers to \"Is it okay to "
        "share information by email?\" and \"… practitioners' caseloads?\" that say what the guidance says.",
    )
    answer_check_rare_passages: int = Field(
        1,
        ge=0,
        description="How many passages at most hold a word the guidance hardly uses (see answer_check_rare_threshold). "
        "Chosen on the tune split: with 2 or 3, answerable questions turn on such words (\"finish\", \"compare\").",
    )
    closest_sources: int = Field(3, description="Closest sources offered with a refusal.")

    # --- themes ---
    # `assistant themes` (and GET /v1/themes): learning passages clustered into themes, or found for a topic.
    theme_distance: float = Field(
        0.5, gt=0, le=2, description="Cosine distance below which learning passages join one theme (average link)."
    )
    theme_topic_similarity: float = Field(
        0.45, ge=-1, le=1, description="Least similarity a learning passage needs to a --topic to be listed."
    )

    # --- LLM ---
    # Used when answerer = "llm": any OpenAI-compatible server (Azure OpenAI, Ollama, vLLM, llama.cpp).
    llm_base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible API.")
    llm_model: str = Field("default", description="Model name sent to the server.")
    llm_api_key: str | None = Field(None, description="API key for the server; unset for local servers.")
    llm_timeout_seconds: float = Field(
        20.0, gt=0, description="Longest wait for the server (connect, each read, and the whole answer)."
    )
    llm_max_tokens: int = Field(200, ge=16, description="Most tokens the LLM may write for one answer.")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature; 0 = repeatable answers.")
    llm_sources: int = Field(4, ge=1, description="Top retrieved chunks given to the LLM as numbered sources.")
    grounding_min_overlap: float = Field(
        0.6, ge=0, le=1, description="Share of a sentence's content words that its cited source must contain."
    )
    grounding_min_similarity: float = Field(
        0.5, ge=-1, le=1, description="Cosine similarity a sentence needs with a sentence of its cited source."
    )
    grounding_min_words: int = Field(3, ge=1, description="Fewest content words a kept sentence may have.")

    # --- privacy ---
    # Questions may name children: the request log (logger `assistant.requests`) holds ids, timings and counts.
    log_questions: bool = Field(
        False, description="Put each question in the request log, with names, emails, phone and NHS numbers redacted."
    )

    # --- web API ---
    api_public: bool = Field(
        True, description="Public deployment: every web request is answered from audience='public' documents only."
    )
    api_key: str | None = Field(
        None, description="When set, /v1/* requests need `Authorization: Bearer <key>` or `X-API-Key: <key>`."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (sites embedding the widget); empty = none.",
    )
    rate_limit_per_minute: int = Field(
        60, ge=0, description="Requests a minute to /v1/* per client address, per worker; 0 = unlimited."
    )
    max_body_bytes: int = Field(65_536, ge=1024, description="Largest request body accepted; larger gets 413.")

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
    slack_update_seconds: float = Field(
        1.0,
        gt=0,
        description="Least time between updates of a Slack answer while it is written (Slack allows ~1/s).",
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
