"""What apps above training say about a learner on a session's register.

Training imports no app above it, yet a trainer should see which learners have a child in
the centre's day care during the session. Such an app registers a function here (in its
AppConfig.ready): (session, enrolments, user) -> {enrolment id: [short text, ...]}, reading
what it needs in a fixed number of queries whatever the number of learners.
"""

from collections.abc import Callable

SessionNote = Callable[[object, list, object], dict[int, list[str]]]

_notes: list[SessionNote] = []


def register_session_note(note: SessionNote) -> SessionNote:
    if note not in _notes:
        _notes.append(note)
    return note


def notes_for(session, enrolments: list, user) -> dict[int, list[str]]:
    """Every registered app's notes on these learners, by enrolment id."""
    gathered: dict[int, list[str]] = {}
    if not enrolments:
        return gathered
    for note in _notes:
        for enrolment_id, texts in note(session, enrolments, user).items():
            gathered.setdefault(enrolment_id, []).extend(texts)
    return gathered
