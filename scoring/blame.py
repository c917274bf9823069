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

from scoring.phrases import Phrases, at, phrases, preceded_by
from scoring.phrases import words as split_words

Verdict = Literal["person", "generic"] | None
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
WINDOW = 6  # words between a person and the failure phrase that makes them its subject
NEGATION_REACH = 3  # words before (or after "is"/"was") a blaming phrase that negate it


@dataclass(frozen=True)
class Vocabulary:
    blames: Phrases
    generic: Phrases
    failures: Phrases
    owned_faults: frozenset[str]
    negations: Phrases
    clause_breaks: Phrases
    roles: Phrases
    anonymous: frozenset[str]
    not_names: frozenset[str]


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The detector's word lists (package data, read once)."""
    source = path or Path(__file__).resolve().parent / "blame.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    return Vocabulary(
        blames=phrases(data["blames"]), generic=phrases(data["generic"]),
        failures=phrases(data["failures"]),
        owned_faults=frozenset(str(w).lower() for w in data["owned_faults"]),
        negations=phrases(data["negations"]), clause_breaks=phrases(data["clause_breaks"]),
        roles=phrases(data["roles"]),
        anonymous=frozenset(str(w).lower() for w in data["anonymous"]),
        not_names=frozenset(str(w).lower() for w in data["not_names"]))


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
    @staticmethod
    def _at(low: list[str], i: int, table: Phrases) -> tuple[str, ...] | None:
        return at(low, i, table)

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
        after = low[i + length:i + length + 2]
        if preceded_by(low, i, self.vocab.negations, NEGATION_REACH):
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
        words = split_words(sentence)
        low = [w.lower() for w in words]
        mentions = self.people(words, low)
        named = [m for m in mentions if not m[2]]
        for _start, end, anonymous in mentions:
            if self._subject_of_failure(low, end) or self._owns_fault(low, end):
                return "generic" if anonymous else "person"
        for i in range(len(low)):
            for table, kind in ((self.vocab.blames, "blames"), (self.vocab.generic,
                                                                   "generic")):
                phrase = self._at(low, i, table)
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
