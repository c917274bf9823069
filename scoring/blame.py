"""Finds sentences of a postmortem that put the outage on a person.

A blameless postmortem may name people ("Ravi rolled back at 10:45"); what it must not do
is make a person the cause ("Ravi's fault", "Ravi didn't test it", "Ravi must be more
careful"). The detector therefore looks for a person as the SUBJECT of a failure, as the
OWNER of a fault, or beside a phrase that blames by itself, and keeps generic blame
("human error", "someone forgot") apart. Its vocabulary is data (scoring/blame.yaml); the
labelled sentences in tests/data/blame_sentences.yaml measure its precision and recall.

People are the scenario's roster names, role words ("the on-call engineer", "he"), and
capitalised words that look like names: not a known word of the scenario, not on the
``not_names`` list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

Verdict = Literal["person", "generic"] | None
WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+|[;:,()!?.]", re.UNICODE)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
WINDOW = 6  # words between a person and the failure phrase that makes them its subject
NEGATION_REACH = 3  # words before (or after "is"/"was") a blaming phrase that negate it


@dataclass(frozen=True)
class Vocabulary:
    blames: tuple[tuple[str, ...], ...]
    generic: tuple[tuple[str, ...], ...]
    failures: tuple[tuple[str, ...], ...]
    owned_faults: frozenset[str]
    negations: tuple[tuple[str, ...], ...]
    clause_breaks: tuple[tuple[str, ...], ...]
    roles: tuple[tuple[str, ...], ...]
    anonymous: frozenset[str]
    not_names: frozenset[str]


def _phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each phrase as its words, longest first so that the longest match wins."""
    words = {tuple(_words(str(i).lower())) for i in items}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The detector's word lists (package data, read once)."""
    source = path or Path(__file__).resolve().parent / "blame.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    return Vocabulary(
        blames=_phrases(data["blames"]), generic=_phrases(data["generic"]),
        failures=_phrases(data["failures"]),
        owned_faults=frozenset(str(w).lower() for w in data["owned_faults"]),
        negations=_phrases(data["negations"]), clause_breaks=_phrases(data["clause_breaks"]),
        roles=_phrases(data["roles"]),
        anonymous=frozenset(str(w).lower() for w in data["anonymous"]),
        not_names=frozenset(str(w).lower() for w in data["not_names"]))


@cache
def _by_first(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:  # already longest first
        index.setdefault(phrase[0], []).append(phrase)
    return index


def _words(text: str) -> list[str]:
    """Words and punctuation; "Ravi's" becomes "ravi" + "'s" so possessives can be seen."""
    out: list[str] = []
    for token in WORD.findall(text.replace("’", "'")):
        if token.lower().endswith("'s") and len(token) > 2:
            out += [token[:-2], "'s"]
        elif token.lower().endswith("n't") and len(token) > 3:
            out += [token[:-3], "n't"] if token.lower() != "can't" else ["can", "n't"]
        else:
            out.append(token)
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


class Detector:
    """Blame in one sentence at a time, for one scenario's people and words."""

    def __init__(self, names: Iterable[str], known_words: Iterable[str] = (),
                 vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or vocabulary()
        self.names = {n.lower() for n in names if len(n) > 1}
        self.known_words = {w.lower() for w in known_words} - self.names

    # --- the parts of a sentence ---------------------------------------------------------
    def _at(self, low: list[str], i: int, phrases: tuple[tuple[str, ...], ...]
            ) -> tuple[str, ...] | None:
        """The longest phrase of ``phrases`` starting at word i (only phrases that begin
        with that word are tried, so a long postmortem stays linear)."""
        if i >= len(low):
            return None
        for phrase in _by_first(phrases).get(low[i], ()):
            if tuple(low[i:i + len(phrase)]) == phrase:
                return phrase
        return None

    def _is_name(self, word: str, low: str) -> bool:
        if low in self.names:
            return True
        if not word[:1].isupper() or word.isupper() or low in self.vocab.not_names:
            return False
        return low not in self.known_words and word[1:].islower()

    def people(self, words: list[str], low: list[str]) -> list[tuple[int, int, bool]]:
        """(start, end, anonymous) of each mention of a person, in order."""
        found: list[tuple[int, int, bool]] = []
        i = 0
        while i < len(words):
            role = self._at(low, i, self.vocab.roles)
            if role is not None:
                found.append((i, i + len(role), " ".join(role) in self.vocab.anonymous))
                i += len(role)
                continue
            if self._is_name(words[i], low[i]):
                j = i + 1
                while j < len(words) and self._is_name(words[j], low[j]):
                    j += 1  # "Ravi Menon" is one mention
                found.append((i, j, False))
                i = j
                continue
            i += 1
        return found

    def _negated(self, low: list[str], i: int, length: int) -> bool:
        before = low[max(0, i - NEGATION_REACH):i]
        after = low[i + length:i + length + 2]
        for j in range(len(before)):
            if self._at(before, j, self.vocab.negations):
                return True
        return bool(after and after[0] in ("is", "was", "are", "were") and
                    self._at(after, 1, self.vocab.negations))

    def _subject_of_failure(self, low: list[str], end: int) -> bool:
        """A failure phrase within a few words after a person, in the same clause.

        A relative clause right after the person ("the developer who wrote it should have
        known") describes the subject, so the main verb after it still counts.
        """
        reach = WINDOW
        if end < len(low) and low[end] in ("who", ","):
            reach, end = WINDOW * 2, end + 1
        for j in range(end, min(len(low), end + reach + 1)):
            if low[j] in (";", ":", "(", ".", "!", "?") and j > end:
                return False
            if low[j] == "," and reach == WINDOW and j > end:
                return False
            if reach > WINDOW and low[j] in ("who", "that", "which", ","):
                continue
            if self._at(low, j, self.vocab.clause_breaks):
                return False
            if self._at(low, j, self.vocab.failures):
                return True
        return False

    def _owns_fault(self, low: list[str], end: int) -> bool:
        """"Ravi's mistake", "Ravi's bad deploy", "Ravi's change broke checkout"."""
        if end >= len(low) or low[end] != "'s":
            return False
        if any(w in self.vocab.owned_faults for w in low[end + 1:end + 3]):
            return True
        return self._subject_of_failure(low, end + 1)

    # --- the verdict ---------------------------------------------------------------------
    def judge(self, sentence: str) -> Verdict:
        """'person' when it makes a person the cause, 'generic' for nameless blame."""
        words = _words(sentence)
        low = [w.lower() for w in words]
        mentions = self.people(words, low)
        named = [m for m in mentions if not m[2]]
        for _start, end, anonymous in mentions:
            if self._subject_of_failure(low, end) or self._owns_fault(low, end):
                return "generic" if anonymous else "person"
        for i in range(len(low)):
            for phrases, kind in ((self.vocab.blames, "blames"), (self.vocab.generic,
                                                                     "generic")):
                phrase = self._at(low, i, phrases)
                if phrase is None or self._negated(low, i, len(phrase)):
                    continue
                if kind == "blames" and named:
                    return "person"
                return "generic"
        return None

    def scan(self, texts: Iterable[str]) -> tuple[list[str], list[str]]:
        """(sentences blaming a person, sentences blaming people generically)."""
        personal: list[str] = []
        generic: list[str] = []
        for text in texts:
            for sentence in split_sentences(text):
                verdict = self.judge(sentence)
                if verdict == "person":
                    personal.append(sentence)
                elif verdict == "generic":
                    generic.append(sentence)
        return personal, generic
