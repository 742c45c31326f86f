"""Error messages in the reader's language (innoportal/i18n.py and its catalogue i18n_zh.py)."""

import re

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_core._pydantic_core import list_all_errors

from innoportal.i18n import (
    EN,
    ZH,
    has_chinese,
    language_headers,
    language_of,
    localize,
    translate,
    validation_message,
)
from innoportal.i18n_zh import FRAGMENTS, MESSAGES, NESTED, OR_LISTS, PYDANTIC

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize(("header", "language"), [
    ("zh-HK", ZH),
    ("zh-TW,zh;q=0.9,en;q=0.8", ZH),
    ("zh-CN", ZH),
    ("en-GB,en;q=0.9,zh-HK;q=0.8", EN),
    ("en-GB,zh-HK;q=0.5", EN),
    ("en;q=0.5,zh-HK;q=0.9", ZH),
    ("fr-FR,zh-HK;q=0.3", ZH),
    ("zh-HK;q=0.5,en;q=0.5", ZH),  # a tie goes to the one listed first
    ("en;q=0.5,zh-HK;q=0.5", EN),
    ("zh-HK;q=0,en;q=0.1", EN),  # q=0: not acceptable
    ("zh-HK;q=0", EN),
    ("ZH-hk", ZH),
    ("zh-HK;q=abc,en", EN),
    ("*", EN),
    ("", EN),
    (None, EN),
    ("fr", EN),
])
def test_the_readers_language_is_chinese_only_when_ranked_above_english(header, language):
    assert language_of(header) == language


def test_answers_say_their_language_and_that_it_varies():
    assert language_headers(ZH) == {"Content-Language": "zh-HK", "Vary": "Accept-Language"}
    assert language_headers(EN)["Content-Language"] == "en"


@pytest.mark.parametrize(("english", "chinese"), [
    ("must be today (2026-12-01) or later", "必須是今天（2026-12-01）或以後的日期"),
    ("no wish 'w-1a2b'", "找不到願望 'w-1a2b'"),
    ("no wish 'w-1a2b' is known", "沒有已知的願望 'w-1a2b'"),
    ("a bearer token is required", "須提供 Bearer 憑證"),
    ("at most 50 keywords", "最多只可有 50 個關鍵詞"),
    ("must be at most 120 characters (got 131)", "最多只可有 120 個字元（現有 131 個）"),
    ("must be at most 500 characters", "最多只可有 500 個字元"),
    ("'provider' may not do this; needs department or emsd",
     "角色 'provider' 不可進行此操作；須為 department 或 emsd"),
    ("the wish changed meanwhile; try again", "此願望剛被更改，請再試一次"),
    ('invalid token (Token is missing the "exp" claim)', "憑證無效（憑證缺少 exp 資料）"),
    ("invalid token (token carries no valid role and organisation)",
     "憑證無效（憑證未載有有效的角色及機構）"),
    ("the report of trial t-1 (version 2) has 3 KPIs; a chart is numbered from 1 to 3, not '9'",
     "實地試驗 t-1 的報告（第 2 版）有 3 項指標；圖表編號為 1 至 3，沒有 '9'"),
])
def test_service_messages_are_translated_keeping_ids_numbers_and_dates(english, chinese):
    assert translate(english, ZH) == chinese
    assert translate(english, EN) == english


def test_placeholders_that_are_messages_themselves_are_translated_too():
    assert translate("trial t-9 is running; cannot start: its planned end 2026-12-01T00:00:00Z "
                     "has passed; amend planned_end first", ZH) == (
        "實地試驗 t-9 的狀態是「進行中」，不能開始：其計劃結束時間 2026-12-01T00:00:00Z 已過，"
        "請先修訂 planned_end")
    assert translate("invalid token (Signature has expired)", ZH) == "憑證無效（憑證已過期）"
    assert translate("only EMSD may correct a report; HKUST (provider) may not", ZH) == (
        "只有機電工程署可以更正報告；HKUST（provider）不可以")
    # A nested part the catalogue lacks stays as it was, inside the Chinese sentence.
    assert translate("invalid token (Something new)", ZH) == "憑證無效（Something new）"


@pytest.mark.parametrize("unknown", [
    "something nobody wrote yet", "no wishes at all today", "", "must be today",
    "trial t-1 is running", "at most fifty keywords please",
    # A repeated placeholder must be the same both times.
    "the report of trial t-1 (version 2) has 3 KPIs; a chart is numbered from 1 to 4, not '9'",
])
def test_a_message_without_translation_stays_english(unknown):
    assert translate(unknown, ZH) == unknown
    assert not has_chinese(translate(unknown, ZH))


def errors_of(model: type[BaseModel], data: dict) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value.errors()


class Form(BaseModel):
    title: str = Field(min_length=2, max_length=5)
    trl: int = Field(ge=1, le=9)
    kind: str = Field(pattern=r"^[a-z]+$")


def test_pydantic_errors_are_translated_by_type_with_their_context():
    errors = {e["loc"][0]: e for e in errors_of(Form, {"title": "x", "trl": 10, "kind": "A"})}
    assert validation_message(errors["title"], errors["title"]["msg"], ZH) == "最少須有 2 個字元"
    assert validation_message(errors["trl"], errors["trl"]["msg"], ZH) == "必須小於或等於 9"
    assert validation_message(errors["kind"], "x", ZH) == "格式不符（須符合 ^[a-z]+$）"
    literal = {"type": "literal_error", "ctx": {"expected": "'en' or 'zh-HK'"}}
    assert validation_message(literal, "Input should be 'en' or 'zh-HK'", ZH) == (
        "必須是以下其中之一：'en' 或 'zh-HK'")
    # English is what the caller already had, untouched.
    assert validation_message(errors["trl"], "as it was", EN) == "as it was"


def test_value_errors_are_translated_by_their_text_and_unknown_types_stay_english():
    value_error = {"type": "value_error", "ctx": {"error": ValueError("x")}}
    assert validation_message(value_error, "must not repeat a category", ZH) == "不可重複同一類別"
    assert validation_message(value_error, "a rule nobody translated", ZH) == (
        "a rule nobody translated")
    assert validation_message({"type": "brand_new_type"}, "Brand new", ZH) == "Brand new"


def test_localize_changes_only_the_messages():
    errors = [{"field": "closes_on", "message": "must be today (2026-12-01) or later",
               "type": "value_error"}]
    assert localize(errors, EN) == errors
    assert localize(errors, ZH) == [{"field": "closes_on", "type": "value_error",
                                     "message": "必須是今天（2026-12-01）或以後的日期"}]


def test_every_catalogue_entry_is_chinese_and_keeps_its_placeholders():
    english = [en for en, _ in MESSAGES]
    assert len(english) == len(set(english)), "an English message is listed twice"
    for en, zh in MESSAGES:
        assert has_chinese(zh), en
        # Every part that varies is kept, but an English plural's "character(s)" or "byte(s)".
        assert set(PLACEHOLDER.findall(zh)) == set(PLACEHOLDER.findall(en)) - {"unit"}, en
        assert not has_chinese(en), en
    for en, zh in FRAGMENTS.items():
        assert has_chinese(zh) and not PLACEHOLDER.search(en), en
    assert not NESTED & OR_LISTS


def test_no_two_placeholders_are_side_by_side():
    # Each placeholder ends where the next fixed text starts: two side by side have no border.
    assert not [en for en, _ in MESSAGES if re.search(r"\}\{", en)]


def test_a_placeholder_takes_the_shortest_text_and_a_repeated_one_must_agree():
    message = "trial t-1 is running; cannot start: it is fixed once started"
    assert translate(message, ZH) == "實地試驗 t-1 的狀態是「進行中」，不能開始：實地試驗開始後不可更改"
    long = "no wish '" + "a is b; " * 100_000 + "'"
    assert translate(long, ZH) == "找不到願望 " + long.removeprefix("no wish ")
    # An echo of input that looks like nested messages is looked into two levels deep, no more.
    nested = "invalid token (" * 5000 + "x" + ")" * 5000
    assert translate(nested, ZH).startswith("憑證無效（" * 3 + "invalid token (")
