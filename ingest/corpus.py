"""Find the documents in a corpus folder and their provenance (from a `<file>.meta.toml` sidecar)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from assistant.schema import DocumentInfo
from assistant.settings import Settings

SIDECAR_SUFFIX = ".meta.toml"
_SET_BY_INGEST = ("path", "sha256")  # provenance fields a sidecar may not set
_TYPE_HINTS = (
    ("bulletin", "bulletin"),
    ("protocol", "protocol"),
    ("procedure", "protocol"),
    ("policy", "protocol"),
    ("review", "review"),
    ("cspr", "review"),
    ("report", "report"),
)


@dataclass
class CorpusFile:
    """A file found in the corpus: its provenance, or why it cannot be used."""

    path: Path
    info: DocumentInfo | None = None
    error: str | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def discover(root: Path, settings: Settings) -> list[CorpusFile]:
    """Every candidate document under root (or root itself if it is a file), sorted by path."""
    if not root.exists():
        raise FileNotFoundError(f"{root}: no such file or folder; pass the corpus folder to ingest")
    if root.is_file():
        return [_describe(root, root.parent, settings)]
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in settings.corpus_ignore):
            continue
        found.append(_describe(path, root, settings))
    return found


def _describe(path: Path, root: Path, settings: Settings) -> CorpusFile:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    fields: dict[str, object] = {}
    if sidecar.exists():
        try:
            fields = tomllib.loads(sidecar.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            return CorpusFile(path, error=f"bad metadata sidecar {sidecar.name}: {exc}")
        except OSError as exc:
            return CorpusFile(path, error=f"cannot read metadata sidecar {sidecar.name} ({exc.strerror})")
        reserved = [key for key in _SET_BY_INGEST if key in fields]
        if reserved:
            return CorpusFile(
                path, error=f"bad metadata in {sidecar.name}: {', '.join(reserved)} is set by the ingest; remove it"
            )
    stem_words = re.sub(r"[_\-]+", " ", path.stem).strip()
    fields.setdefault("id", slugify(str(path.relative_to(root).with_suffix(""))))
    fields.setdefault("title", stem_words[:1].upper() + stem_words[1:] if stem_words else path.name)
    fields.setdefault("type", _guess_type(path.name))
    fields.setdefault("audience", settings.default_audience)
    if isinstance(fields.get("published"), dt.datetime):
        fields["published"] = fields["published"].date()  # type: ignore[union-attr]
    try:
        info = DocumentInfo(**fields, path=str(path.resolve()), sha256=sha256_of(path))  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return CorpusFile(path, error=f"bad metadata in {sidecar.name}: {problems}")
    except OSError as exc:
        return CorpusFile(path, error=f"cannot read file ({exc.strerror})")
    return CorpusFile(path, info=info)


def _guess_type(name: str) -> str:
    lowered = name.lower()
    for hint, doc_type in _TYPE_HINTS:
        if hint in lowered:
            return doc_type
    return "guidance"
