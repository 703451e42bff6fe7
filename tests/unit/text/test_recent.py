"""A model keeps the readings of recent texts: a text read again gives the same reading, unless
what it depends on differs (kind, contact allowed, a direct contract, earlier messages that add a hit)."""

from scoring.text.detect import analyze
from scoring.text.model import RECENT_MAX_CHARS, RECENT_TEXTS, from_document, packaged, to_document
from scoring.text.types import OFF_PLATFORM_CONTACT, TextContext

SPLIT_START = ("email me", "rachel.m.dev")


def fresh():
    """A model of its own, with nothing read yet."""
    return from_document(to_document(packaged()))


def test_a_text_read_again_is_the_reading_kept():
    model = fresh()
    first = analyze("add me on whatsapp +1 917 555 0134", TextContext(), model)
    assert analyze("add me on whatsapp +1 917 555 0134", TextContext(), model) is first
    assert len(model.recent) == 1


def test_the_context_a_reading_depends_on_is_part_of_its_key():
    model = fresh()
    text = "add me on whatsapp +1 917 555 0134"
    barred = analyze(text, TextContext(), model)
    allowed = analyze(text, TextContext(contact_allowed=True), model)
    assert OFF_PLATFORM_CONTACT in {h.policy for h in barred.hits}
    assert OFF_PLATFORM_CONTACT not in {h.policy for h in allowed.hits}
    assert analyze(text, TextContext(kind="proposal"), model) is not barred


def test_earlier_messages_are_read_where_the_text_could_end_a_detail_they_began():
    model = fresh()
    alone = analyze("@gmail.com", TextContext(), model)
    after = analyze("@gmail.com", TextContext(previous=SPLIT_START), model)
    assert "contact_split" not in {h.detector for h in alone.patterns}
    assert "contact_split" in {h.detector for h in after.patterns}
    assert analyze("@gmail.com", TextContext(), model) is alone  # the reading with earlier messages is not kept


def test_a_text_that_cannot_end_a_detail_is_kept_whatever_came_before():
    model = fresh()
    with_room = analyze("thanks, talk soon", TextContext(previous=SPLIT_START), model)
    assert analyze("thanks, talk soon", TextContext(), model) is with_room
    assert analyze("thanks, talk soon", TextContext(previous=("other", "words")), model) is with_room


def test_a_text_whose_earlier_messages_add_nothing_is_answered_from_the_memo():
    model = fresh()
    text = "Sent the files at 5. Let me know what you think?"  # could end a detail, or be a demand
    first = analyze(text, TextContext(previous=("hi", "how is it going?")), model)
    assert analyze(text, TextContext(previous=("other", "words", "here")), model) is first
    assert analyze(text, TextContext(), model) is first


def test_the_memo_is_bounded_in_texts_and_length():
    model = fresh()
    analyze("x" * (RECENT_MAX_CHARS + 1), TextContext(), model)
    assert len(model.recent) == 0
    for i in range(RECENT_TEXTS + 5):
        analyze(f"thanks {i}", TextContext(), model)
    assert 0 < len(model.recent) <= RECENT_TEXTS


def test_cover_letters_do_not_push_the_chat_out_of_the_memo():
    model = fresh()
    first = analyze("thanks, talk soon", TextContext(), model)
    for i in range(RECENT_TEXTS + 5):
        analyze(f"I can build your app, order {i}", TextContext(kind="proposal"), model)
    assert analyze("thanks, talk soon", TextContext(), model) is first
    assert 0 < len(model.recent_letters) <= RECENT_TEXTS


def test_earlier_messages_are_read_where_the_text_repeats_a_request_or_a_demand():
    model = fresh()
    for text, previous, detector in (
        ("Can you please leave feedback for me?", ("Please leave feedback", "Could you leave me feedback?"),
         "feedback_repeat_request"),
        ("Answer me now!", ("hello?", "are you there?", "answer me"), "harassment_pestering"),
    ):
        alone = analyze(text, TextContext(), model)
        after = analyze(text, TextContext(previous=previous), model)
        assert detector not in {h.detector for h in alone.patterns}
        assert detector in {h.detector for h in after.patterns}, text
