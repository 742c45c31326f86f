"""One table of the words for the values events carry, used by the emails and the report alike."""

from contracts.labels import VALUE_LABELS, value_label
from contracts import MatchDecided, TrialCompleted, TrialTerminated
from services.notifier.emails.labels import LABELS
from services.trials.report.text import L


def _choices(model, name) -> tuple[str, ...]:
    return model.model_fields[name].annotation.__args__


def test_every_value_an_event_carries_for_people_has_its_words():
    values = [*_choices(TrialCompleted, "verdict"), *_choices(TrialTerminated, "from_state"),
              *_choices(MatchDecided, "decision"), "completed", "terminated"]
    for value in values:
        assert value in VALUE_LABELS, value


def test_the_emails_and_the_report_say_a_value_the_same_way():
    for value, (en, zh) in VALUE_LABELS.items():
        assert L[value] == (en, zh)
        assert LABELS["en"][value] == en.lower() == value_label(value, "en", inline=True)
        assert LABELS["zh-HK"][value] == zh == value_label(value, "zh-HK")
