"""Direct speech and who said it.

A quotation is text between curly or straight double quotes, long enough to be speech
(four words or more). Its speaker is the person named by the nearest attribution cue in
the same paragraph: after the quote (`,” said X`, `,” X said`, `” he said`) or before it
(`X said: “`, `X told the BBC: “`). A pronoun cue refers to the last person named. A
paragraph that opens a quote without an attribution continues the previous speaker's
quote, as newspapers write multi-paragraph speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.ingest.entities import PERSON, FoundEntity

SPEECH_VERBS = (
    r"said|says|added|adds|told|tells|explained|explains|warned|warns|argued|argues|insisted|"
    r"insists|claimed|claims|stated|states|wrote|writes|tweeted|posted|continued|asked|asks|"
    r"replied|urged|urges|declared|declares|admitted|admits|noted|notes|commented|responded|"
    r"announced|announces|described|suggested|suggests|vowed|pledged|acknowledged"
)
_QUOTE = re.compile(r"“([^”]{10,2000})”|\"([^\"\n]{10,2000})\"")
_PRONOUN = re.compile(rf"^\s*,?\s*(?:he|she|they)\s+(?:{SPEECH_VERBS})\b", re.IGNORECASE)
# ', said X' with up to four words between the verb and the name ('said Labour councillor X').
_VERB_BEFORE_NAME = re.compile(rf"^\s*,?\s*(?:{SPEECH_VERBS})\s+(?:[\w’'-]+\s+){{0,4}}$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundQuote:
    speaker_key: str
    speaker_name: str
    text: str
    start: int
    end: int
    cue: str


def extract_quotes(body: str, entities: list[FoundEntity]) -> list[FoundQuote]:
    """Quotes in ``body`` attributed to people among ``entities`` (offsets in ``body``)."""
    people_spans = sorted(
        (hit.start, hit.end, item)
        for item in entities
        if item.kind == PERSON
        for hit in item.hits
        if hit.segment == "body"
    )
    quotes: list[FoundQuote] = []
    previous_speaker: FoundEntity | None = None
    for paragraph_start, paragraph in _paragraphs(body):
        matches = list(_QUOTE.finditer(paragraph))
        paragraph_speaker = None
        pending = []
        for match in matches:
            text = (match.group(1) or match.group(2)).strip()
            if len(text.split()) < 4:
                continue
            start, end = paragraph_start + match.start(), paragraph_start + match.end()
            speaker, cue = _attribute(
                body, start, end, paragraph_start, paragraph_start + len(paragraph), people_spans, previous_speaker
            )
            if speaker is None and previous_speaker is not None and match.start() == 0:
                speaker, cue = previous_speaker, "continues the previous paragraph's quote"
            if speaker is None:
                pending.append((text, start, end))
                continue
            paragraph_speaker = speaker
            quotes.append(FoundQuote(speaker.key, speaker.name, text, start, end, cue))
        for text, start, end in pending:
            if paragraph_speaker is not None:
                quotes.append(
                    FoundQuote(paragraph_speaker.key, paragraph_speaker.name, text, start, end, "same paragraph")
                )
        if paragraph_speaker is not None:
            previous_speaker = paragraph_speaker
        elif not paragraph.lstrip().startswith(("“", '"')):
            previous_speaker = None
    return sorted(quotes, key=lambda q: q.start)


def _paragraphs(body: str):
    offset = 0
    for part in body.split("\n"):
        if part.strip():
            yield offset, part
        offset += len(part) + 1


def _attribute(body, start, end, para_start, para_end, people_spans, previous_speaker):
    """The speaker of the quote at [start, end) and the cue text, or (None, "")."""
    after = body[end : min(para_end, end + 80)]
    body[max(para_start, start - 120) : start]
    # After the quote: ', said X' / ' X said' / ' he said'.
    for s, e, person in people_spans:
        if end <= s <= end + 60 and s < para_end:
            gap = body[end:s]
            tail = body[e : e + 40]
            if _VERB_BEFORE_NAME.match(gap) or (
                re.match(r"^\s*,?\s*$", gap) and re.match(rf"^[\w\s,()]*?\b(?:{SPEECH_VERBS})\b", tail[:40])
            ):
                return person, body[end : e + 12].strip()
    if _PRONOUN.match(after):
        # "he said" refers to whoever has been speaking, else the last person named.
        person = previous_speaker or _last_person_before(start, people_spans, para_start - 600)
        if person is not None:
            return person, after.strip()[:40]
    # Before the quote: 'X said: “' / 'X told the BBC: “' / 'said X: “'.
    for s, e, person in reversed(people_spans):
        if para_start <= s and e <= start and start - e <= 120:
            between = body[e:start]
            if re.search(rf"\b(?:{SPEECH_VERBS})\b[^“\"]*[:,]?\s*$", between) and not re.search(r"[.!?]\s", between):
                return person, body[s:start].strip()[:80]
            break
    return None, ""


def _last_person_before(position, people_spans, floor):
    best = None
    for s, _e, person in people_spans:
        if floor <= s < position:
            best = person
    return best
