"""A tiny corpus for the web API and chat page tests: two public documents, one for practitioners only
(its fact must never reach the public endpoint) and one public bulletin whose text and title carry markup
that would run if the page ever rendered document text as HTML."""

from __future__ import annotations

import json
from pathlib import Path

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'
XSS_TITLE = 'Bath safety bulletin <img src=x onerror="window.__xss=3">'

ESCALATION_QUESTION = "How do I escalate a disagreement with another agency about a referral?"
REVIEWS_QUESTION = "How many rapid reviews did the partnership complete in 2023?"
PRIVATE_QUESTION = "What is the code word for the out-of-hours duty manager consultation line?"
PRIVATE_FACT = "BLUEHERON"
XSS_QUESTION = "Can a baby be left alone in the bath?"
URGENT_QUESTION = "A child is in immediate danger at home right now, what should I do?"
OFF_TOPIC_QUESTION = "What is the best recipe for lemon drizzle cake?"

_DOCS: dict[str, tuple[str, dict[str, str]]] = {
    "escalation-protocol.md": (
        """# Resolving professional differences

## Stage 1: talk to the practitioner

If you disagree with another agency's decision about a referral, first discuss it directly with the
practitioner who made the decision within 5 working days. Most disagreements are resolved at this stage.

## Stage 2: escalate to managers

If the disagreement is not resolved at stage 1, escalate it to your line manager, who contacts the other
agency's manager within 3 working days. Record each step of the escalation on the child's file.
""",
        {
            "id": "escalation-protocol", "title": "Resolving Professional Differences protocol",
            "publisher": "Test Partnership", "published": "2024-03-01", "type": "protocol",
            "url": "https://example.org/escalation-protocol.pdf", "audience": "public",
        },
    ),
    "annual-report.md": (
        """# Annual report 2023

## Rapid reviews

The partnership completed 14 rapid reviews in 2023, up from 9 the year before. Every rapid review was sent
to the national panel within 15 working days.

## Training

The partnership trained 1,200 practitioners in 2023 on neglect and on recognising exploitation.
""",
        {
            "id": "annual-report-2023", "title": "Test Partnership Annual Report 2023",
            "publisher": "Test Partnership", "published": "2023-09-01", "type": "report",
            "url": "https://example.org/annual-report-2023", "audience": "public",
        },
    ),
    "staff-briefing.md": (
        f"""# Staff briefing: out-of-hours consultation

## Code word

The code word for the out-of-hours duty manager consultation line is {PRIVATE_FACT}. Give the code word
when you call so that the duty manager knows you are a practitioner.
""",
        {
            "id": "staff-briefing", "title": "Staff briefing (practitioners only)",
            "publisher": "Test Partnership", "published": "2024-01-10", "type": "bulletin",
            "url": "https://example.org/intranet/staff-briefing", "audience": "practitioners",
        },
    ),
    # Plain text: the Markdown loader would read `__xss__` as emphasis and drop the underscores.
    "bath-safety.txt": (
        f"""A baby must never be left alone in the bath {XSS_SCRIPT} even for a moment, and {XSS_IMG} parents should
keep one hand on the baby at all times. Babies can drown in a few centimetres of water within seconds.
""",
        {
            "id": "bath-safety", "title": XSS_TITLE, "publisher": "Test Partnership",
            "published": "2024-06-01", "type": "bulletin", "url": "javascript:window.__xss=4",
            "audience": "public",
        },
    ),
}


def write_web_corpus(folder: Path) -> Path:
    """Write the four documents with their `.meta.toml` sidecars into `folder`; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (text, meta) in _DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
        sidecar = "".join(f"{key} = {json.dumps(value)}\n" for key, value in meta.items())
        (folder / f"{name}.meta.toml").write_text(sidecar, encoding="utf-8")
    return folder
