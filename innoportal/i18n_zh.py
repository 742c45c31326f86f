"""The Traditional Chinese (Hong Kong) catalogue of every error message the APIs answer.

MESSAGES: what the kernel (here) and the services (i18n_zh_services.py) write in English, with
`{placeholders}` for the parts that vary, and its Chinese; they are tried in order. A placeholder
named in NESTED is itself looked up (FRAGMENTS and MESSAGES), e.g. the state in "trial t-1 is
running; cannot start"; one named in OR_LISTS gets its " or " in Chinese. PYDANTIC: pydantic's
validation errors by `type`, filled from their `ctx`. A message missing here is answered in
English: tests/component/test_error_language*.py send a request for every kind of error to every
service and fail on any answer without Chinese. Two placeholders are never side by side.
"""

from innoportal.i18n_zh_services import SERVICE_FRAGMENTS, SERVICE_MESSAGES

NESTED = frozenset({"rule", "reason", "error", "action", "why", "state", "status", "better"})
OR_LISTS = frozenset({"roles", "expected", "expected_schemes"})

PYDANTIC: dict[str, str] = {
    "missing": "必須填寫",
    "string_type": "必須是文字",
    "string_unicode": "必須是有效的 Unicode 文字",
    "string_too_short": "最少須有 {min_length} 個字元",
    "string_too_long": "最多只可有 {max_length} 個字元",
    "string_pattern_mismatch": "格式不符（須符合 {pattern}）",
    "string_not_ascii": "只可使用 ASCII 字元",
    "int_type": "必須是整數",
    "int_parsing": "必須是整數",
    "int_parsing_size": "整數過大，無法處理",
    "int_from_float": "必須是整數，不可有小數部分",
    "float_type": "必須是數字",
    "float_parsing": "必須是數字",
    "decimal_type": "必須是數字",
    "decimal_parsing": "必須是數字",
    "finite_number": "必須是有限的數字",
    "bool_type": "必須是 true 或 false",
    "bool_parsing": "必須是 true 或 false",
    "greater_than": "必須大於 {gt}",
    "greater_than_equal": "必須大於或等於 {ge}",
    "less_than": "必須小於 {lt}",
    "less_than_equal": "必須小於或等於 {le}",
    "multiple_of": "必須是 {multiple_of} 的倍數",
    "literal_error": "必須是以下其中之一：{expected}",
    "enum": "必須是以下其中之一：{expected}",
    "too_short": "最少須有 {min_length} 項（現有 {actual_length} 項）",
    "too_long": "最多只可有 {max_length} 項",  # actual_length is None for a stream
    "list_type": "必須是清單",
    "tuple_type": "必須是清單",
    "set_type": "必須是清單",
    "iterable_type": "必須是清單",
    "dict_type": "必須是 JSON 物件",
    "model_type": "必須是 JSON 物件",
    "model_attributes_type": "必須是 JSON 物件",
    "dataclass_type": "必須是 JSON 物件",
    "extra_forbidden": "不是可接受的欄位",
    "none_required": "必須是 null",
    "json_type": "必須是 JSON 文字",
    "date_type": "必須是日期",
    "date_parsing": "必須是有效日期（格式為 YYYY-MM-DD）",
    "date_from_datetime_parsing": "必須是有效日期（格式為 YYYY-MM-DD）",
    "date_from_datetime_inexact": "必須是日期，不可包含時間",
    "date_past": "必須是過去的日期",
    "date_future": "必須是將來的日期",
    "time_type": "必須是有效時間（格式為 HH:MM:SS）",
    "time_parsing": "必須是有效時間（格式為 HH:MM:SS）",
    "datetime_type": "必須是有效的 ISO 8601 日期時間",
    "datetime_parsing": "必須是有效的 ISO 8601 日期時間，例如 2026-11-21T09:30:00+08:00",
    "datetime_from_date_parsing": "必須是有效的 ISO 8601 日期時間，例如 2026-11-21T09:30:00+08:00",
    "datetime_object_invalid": "必須是有效的日期時間",
    "datetime_past": "必須是過去的時間",
    "datetime_future": "必須是將來的時間",
    "timezone_naive": "不可帶有時區",
    "timezone_aware": "必須帶有時區（例如 Z 或 +08:00）",
    "url_type": "必須是網址",
    "url_parsing": "必須是有效網址，例如 https://example.hk",
    "url_syntax_violation": "必須是有效網址，例如 https://example.hk",
    "url_too_long": "網址最多只可有 {max_length} 個字元",
    "url_scheme": "網址必須以 {expected_schemes} 開頭",
    "uuid_type": "必須是有效的 UUID",
    "uuid_parsing": "必須是有效的 UUID",
    "recursion_loop": "巢狀層數過多",
    "json_invalid": "JSON 格式錯誤（{error}）",
}

KERNEL_MESSAGES: list[tuple[str, str]] = [
    # innoportal/http.py, and what Starlette answers by itself
    ("'{ctype}' is not supported; send application/json",
     "不支援 '{ctype}'；請以 application/json 傳送"),
    ("malformed JSON ({error})", "JSON 格式錯誤（{error}）"),
    ("a JSON body is required", "必須附上 JSON 內容"),
    ("larger than {size} bytes", "超過 {size} 位元組的上限"),
    ("could not be parsed as JSON", "無法解讀為 JSON"),
    ("internal error", "內部錯誤"),
    ("service unavailable: its database cannot be reached; try again shortly",
     "服務暫時無法使用：無法連接其資料庫，請稍後再試"),
    ("Not Found", "找不到所要求的資源"),
    ("Method Not Allowed", "不接受此 HTTP 方法"),
    ("Bad Request", "請求無效"),
    ("Unsupported Media Type", "不支援此內容類型"),
    ("Not Acceptable", "無法提供所要求的格式"),
    # innoportal/fields.py, innoportal/auth.py; pydantic's email check
    ("must not contain control characters or line breaks", "不可包含控制字元或換行"),
    ("must not contain control characters", "不可包含控制字元"),
    ("must not repeat a category", "不可重複同一類別"),
    ("at least one language must be complete (title_en and description_en, or title_zh and "
     "description_zh)",
     "最少一種語言的內容須完整（title_en 及 description_en，或 title_zh 及 description_zh）"),
    ("required to complete the English text; {rule}", "須填寫以完成英文內容；{rule}"),
    ("required to complete the Chinese text; {rule}", "須填寫以完成中文內容；{rule}"),
    ("value is not a valid email address: {reason}", "不是有效的電郵地址：{reason}"),
    ("a bearer token is required", "須提供 Bearer 憑證"),
    ("expected 'Bearer <token>'", "格式應為 'Bearer <token>'"),
    ("invalid token ({reason})", "憑證無效（{reason}）"),
    ("'{role}' may not do this; needs {roles}", "角色 '{role}' 不可進行此操作；須為 {roles}"),
    ('Token is missing the "{claim}" claim', "憑證缺少 {claim} 資料"),
    ("Invalid header string: {detail}", "標頭無效：{detail}"),
    ("Invalid payload string: {detail}", "內容無效：{detail}"),
    # email_validator's reasons (inside "is not a valid email address (...)")
    ("The email address contains invalid characters before the @-sign: {chars}.",
     "電郵地址 @ 符號之前含有無效字元：{chars}。"),
    ("The part after the @-sign contains invalid characters: {chars}.",
     "@ 符號之後的部分含有無效字元：{chars}。"),
    ("Internationalized characters before the @-sign are not supported: {chars}.",
     "@ 符號之前不支援國際化字元：{chars}。"),
    ("The email address is too long ({count} {unit} too many).", "電郵地址過長（多出 {count} 個字元）。"),
    ("The email address is too long before the @-sign ({count} {unit} too many).",
     "電郵地址 @ 符號之前的部分過長（多出 {count} 個字元）。"),
    ("The email address is too long after the @-sign ({count} {unit} too many).",
     "電郵地址 @ 符號之後的部分過長（多出 {count} 個字元）。"),
]

# Reasons that NESTED placeholders carry: JSON, PyJWT, email_validator.
KERNEL_FRAGMENTS: dict[str, str] = {
    "nested too deeply": "巢狀層數過多",
    "token carries no valid role and organisation": "憑證未載有有效的角色及機構",
    "Signature has expired": "憑證已過期",
    "Signature verification failed": "簽署驗證失敗",
    "Not enough segments": "格式不正確",
    "Invalid header padding": "標頭格式不正確",
    "Invalid payload padding": "內容格式不正確",
    "Invalid crypto padding": "簽署格式不正確",
    "Invalid issuer": "簽發者無效",
    "The specified alg value is not allowed": "不接受所指定的演算法",
    "Algorithm not supported": "不支援此演算法",
    "The token is not yet valid (iat)": "憑證尚未生效（iat）",
    "The token is not yet valid (nbf)": "憑證尚未生效（nbf）",
    "Invalid header string: must be a json object": "標頭必須是 JSON 物件",
    "Invalid payload string: must be a json object": "內容必須是 JSON 物件",
    "Invalid subject": "主體無效", "Subject must be a string": "主體必須是文字",
    "An email address must have an @-sign.": "電郵地址必須有 @ 符號。",
    "There must be something before the @-sign.": "@ 符號之前必須有內容。",
    "There must be something after the @-sign.": "@ 符號之後必須有內容。",
    "The part after the @-sign is not valid. It should have a period.":
        "@ 符號之後的部分無效，應包含句點。",
    "The part after the @-sign is not valid. It is not within a valid top-level domain.":
        "@ 符號之後的部分無效，不屬於有效的頂級域名。",
    "The part after the @-sign is a special-use or reserved name that cannot be used with email.":
        "@ 符號之後的部分是特殊用途或保留的名稱，不能用於電郵。",
    "An email address cannot have two periods in a row.": "電郵地址不可有兩個連續的句點。",
    "An email address cannot start with a period.": "電郵地址不可以句點開頭。",
    "An email address cannot end with a period.": "電郵地址不可以句點結尾。",
    "An email address cannot have a period immediately before the @-sign.":
        "@ 符號之前不可緊接句點。",
    "An email address cannot have a period immediately after the @-sign.":
        "@ 符號之後不可緊接句點。",
    "The email address is not valid ASCII.": "電郵地址並非有效的 ASCII。",
    "There can't be anything after the email address.": "電郵地址之後不可有其他內容。",
}

MESSAGES = [*KERNEL_MESSAGES, *SERVICE_MESSAGES]
FRAGMENTS = {**KERNEL_FRAGMENTS, **SERVICE_FRAGMENTS}
