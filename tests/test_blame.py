"""The blame detector, measured on a labelled set of postmortem sentences."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scoring.blame import Detector
from simulator.format.loader import load_scenario

DATA = Path(__file__).resolve().parent / "data" / "blame_sentences.yaml"


def labelled() -> list[tuple[str, str]]:
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))["sentences"]
    return [(str(i["text"]), str(i["label"])) for i in items]


def detector() -> Detector:
    """The bad-deploy roster and words, as the scorer builds them for that scenario."""
    from scoring.postmortem import known_words, roster_names

    sc = load_scenario("bad-deploy")[0]
    text = " ".join(t for t, _ in labelled())
    return Detector(roster_names(sc), known_words(sc, [text]))


def measure() -> tuple[float, float, list[tuple[str, str, str | None]]]:
    det = detector()
    tp = fp = fn = 0
    wrong: list[tuple[str, str, str | None]] = []
    for text, label in labelled():
        got = det.judge(text)
        blaming, flagged = label != "none", got is not None
        tp += blaming and flagged
        fp += flagged and not blaming
        fn += blaming and not flagged
        if flagged != blaming or (flagged and got != label):
            wrong.append((label, text, got))
    return tp / max(1, tp + fp), tp / max(1, tp + fn), wrong


def test_labelled_set_is_big_and_balanced() -> None:
    """At least 60 sentences, with both kinds well represented."""
    labels = [label for _, label in labelled()]
    assert len(labels) >= 60
    assert labels.count("none") >= 25 and len(labels) - labels.count("none") >= 25
    assert set(labels) == {"person", "generic", "none"}


def test_precision_and_recall_on_the_labelled_set() -> None:
    """Both at least 0.9; misses are listed so a vocabulary change can be judged."""
    precision, recall, wrong = measure()
    print(f"blame detector: precision {precision:.3f}, recall {recall:.3f}, "
          f"{len(labelled())} sentences")
    assert precision >= 0.9 and recall >= 0.9, wrong


def test_the_issue_examples_are_flagged_as_personal() -> None:
    det = detector()
    for text in ("Ravi shipped a broken release and didn't test it; Ravi's fault.",
                 "Ravi must be more careful."):
        assert det.judge(text) == "person", text
    assert det.judge("Ravi rolled back at 10:45.") is None


def test_unknown_capitalised_names_count_as_people() -> None:
    """A name not on the roster is still a person; a system word at the start is not."""
    det = detector()
    assert det.judge("Jamal failed to run the smoke tests.") == "person"
    assert det.judge("Monitoring failed to alert on latency.") is None
    assert re.search("Jamal", " ".join(t for t, _ in labelled()))
