"""Texts of the open data page, the Atom feeds, and the meaning of every published field."""

PAGE: dict[str, tuple[str, str]] = {
    "open_data.title": ("Open data", "開放數據"),
    "open_data.intro": (
        "Everything the portal shows the public about wishes, I&T solutions and performance "
        "reports is open data. Follow it in a feed reader, or download it whole as CSV or JSON "
        "for a spreadsheet or your own analysis.",
        "平台向公眾展示的創科願望、創科解決方案及表現報告均屬開放數據。你可以用閱讀器訂閱資訊提供，"
        "或下載全部數據（CSV 或 JSON 格式），以試算表或自己的工具分析。"),
    "open_data.terms": ("Using the data", "使用數據"),
    "open_data.public": (
        "The data is public: it is what anyone can read on this portal. You may copy, share and "
        "reuse it for any purpose; please name the E&M InnoPortal as its source.",
        "這些數據是公開的，即任何人都可在本平台閱覽的內容。你可以為任何目的複製、分享及再用這些數據，"
        "請註明資料來源為「網上創新科技協作平台」。"),
    "open_data.no_personal": (
        "It holds no personal data. Contact email addresses are never included: each record "
        "names only the organisation behind it.",
        "數據不包含任何個人資料。聯絡電郵地址一概不會收錄，每項紀錄只列出負責的機構名稱。"),
    "open_data.fresh": (
        "Each file is made when you ask for it, so it is always up to date.",
        "每個檔案均於你提出要求時即時製作，內容永遠是最新的。"),
    "open_data.formats": ("How the files are written", "檔案格式"),
    "open_data.csv": (
        "CSV: UTF-8 (with a byte order mark, so spreadsheet programs show Chinese correctly), "
        "one record per line after a first line naming the fields. Categories are joined by "
        "semicolons. An empty cell means not given. A text that begins with =, +, -, @ or a tab "
        "starts with an apostrophe (') so that spreadsheet programs do not run it as a formula.",
        "CSV：UTF-8 編碼（附位元組順序記號，試算表程式可正確顯示中文），首行列出欄位名稱，其後每行一項紀錄。"
        "類別以分號（;）分隔。空白儲存格表示未有提供。以 =、+、-、@ 或定位字元開首的文字前會加上"
        "撇號（'），以免試算表程式把它當作公式執行。"),
    "open_data.json": (
        "JSON: one object with dataset (its name), generated_at (when it was made), fields (the "
        "field names, in order) and items (the records). Categories are lists; a value not "
        "given is null.",
        "JSON：一個物件，包含 dataset（數據集名稱）、generated_at（製作時間）、fields（欄位名稱，"
        "依次排列）及 items（紀錄）。類別以列表表示；未有提供的值為 null。"),
    "open_data.atom": (
        "Atom feeds: the newest 50 records, newest first, each with its title in English and "
        "Chinese, its links to the portal's pages in both languages, and a summary. Add one to "
        "a feed reader to hear of new records.",
        "Atom 資訊提供：最新的 50 項紀錄，最新的排在最前；每項附有中英文標題、兩種語言的平台網頁連結"
        "及摘要。把它加入閱讀器，便可得知新增的紀錄。"),
    "open_data.links": ("Get the data", "取得數據"),
    "open_data.get_feed": ("Atom feed of {dataset} (newest 50)", "{dataset} Atom 資訊提供（最新 50 項）"),
    "open_data.get_csv": ("CSV file of {dataset} (every record)", "{dataset} CSV 檔案（全部紀錄）"),
    "open_data.get_json": ("JSON file of {dataset} (every record)", "{dataset} JSON 檔案（全部紀錄）"),
    "open_data.fields_caption": ("Fields of {dataset}", "{dataset}的欄位"),
    "open_data.col.field": ("Field", "欄位"),
    "open_data.col.meaning": ("Meaning", "意思"),
    "open_data.col.type": ("Type and format", "類型及格式"),
    "open_data.categories": ("Category ids", "類別代號"),
    "open_data.categories_intro": (
        "Records name their technology categories by these ids.",
        "紀錄以下列代號表示其科技類別。"),
    "open_data.col.id": ("Id", "代號"),
    "open_data.col.en": ("English", "英文"),
    "open_data.col.zh": ("Chinese", "中文"),
    "open_data.verdicts": ("Verdicts", "試驗結果"),
    "open_data.verdicts_intro": ("A report's verdict is one of these values.",
                                 "表現報告的試驗結果為下列其中一個值。"),
    "open_data.col.value": ("Value", "值"),
    "open_data.dataset.wishes": ("Wishes", "創科願望"),
    "open_data.dataset.solutions": ("I&T solutions", "創科解決方案"),
    "open_data.dataset.reports": ("Performance reports", "表現報告"),
    "open_data.name.wishes": ("wishes", "創科願望"),
    "open_data.name.solutions": ("I&T solutions", "創科解決方案"),
    "open_data.name.reports": ("performance reports", "表現報告"),
    "open_data.holds.wishes": (
        "The service needs that government departments and public bodies have posted, open and "
        "closed, newest first.",
        "政府部門及公營機構發佈的服務需要，包括接受提交及已截止的，最新的排在最前。"),
    "open_data.holds.solutions": (
        "The innovation and technology solutions that universities, start-ups, SMEs and research "
        "institutes have submitted, newest first.",
        "大學、初創企業、中小企及研究機構提交的創新科技解決方案，最新的排在最前。"),
    "open_data.holds.reports": (
        "The performance reports EMSD has published after field trials, the latest version of "
        "each, newest first.",
        "機電工程署於實地試驗後發佈的表現報告（每份報告的最新版本），最新的排在最前。"),
}

FEEDS: dict[str, tuple[str, str]] = {
    "open_data.feed.wishes": ("E&M InnoPortal: wishes", "網上創新科技協作平台：創科願望"),
    "open_data.feed.solutions": ("E&M InnoPortal: I&T solutions", "網上創新科技協作平台：創科解決方案"),
    "open_data.feed.reports": ("E&M InnoPortal: performance reports", "網上創新科技協作平台：表現報告"),
    "open_data.feed.wishes.subtitle": ("The newest wishes, open and closed", "最新的創科願望（包括已截止的）"),
    "open_data.feed.solutions.subtitle": ("The newest I&T solutions", "最新的創科解決方案"),
    "open_data.feed.reports.subtitle": ("The newest performance reports of field trials",
                                        "最新的實地試驗表現報告"),
    "open_data.entry.closed": ("This wish is closed.", "此願望已截止。"),
    "open_data.entry.trl": ("Technology readiness level {trl}", "技術成熟度第 {trl} 級"),
    "open_data.entry.report": ("Performance report", "表現報告"),
    "open_data.entry.version": ("version {version}", "第 {version} 版"),
    "open_data.entry.verdict": ("Verdict: {verdict}. KPIs met: {met} of {total}.",
                                "試驗結果：{verdict}。達標關鍵績效指標：{met} / {total} 項。"),
    "open_data.entry.wish": ("For the wish", "回應的創科願望"),
    "open_data.entry.venue": ("Venue", "試驗場地"),
}

TYPES: dict[str, tuple[str, str]] = {
    "open_data.type.id": ("Text: an identifier", "文字：識別碼"),
    "open_data.type.text": ("Text", "文字"),
    "open_data.type.categories": ("Category ids: a list in JSON, joined by ; in CSV",
                                  "類別代號：JSON 為列表，CSV 以 ; 分隔"),
    "open_data.type.moment": ("Date and time, ISO 8601, in UTC (2026-12-01T09:30:00Z)",
                              "日期及時間，ISO 8601 格式，協調世界時（2026-12-01T09:30:00Z）"),
    "open_data.type.date": ("Date, ISO 8601 (2026-12-31), a Hong Kong day",
                            "日期，ISO 8601 格式（2026-12-31），以香港日期計"),
    "open_data.type.integer": ("Whole number", "整數"),
    "open_data.type.url": ("Web address", "網址"),
    "open_data.type.status": ("open or closed", "open（接受提交）或 closed（已截止）"),
    "open_data.type.verdict": ("passed, partially_passed or failed",
                               "passed、partially_passed 或 failed"),
    "open_data.type.sha256": ("64 hexadecimal characters", "64 個十六進位字元"),
}

FIELDS: dict[str, tuple[str, str]] = {
    "open_data.field.wishes.id": ("The wish's id", "創科願望的識別碼"),
    "open_data.field.solutions.id": ("The solution's id", "創科解決方案的識別碼"),
    "open_data.field.title_en": ("Title in English (empty when given in Chinese only)",
                                 "英文標題（只有中文時留空）"),
    "open_data.field.title_zh": ("Title in Chinese (empty when given in English only)",
                                 "中文標題（只有英文時留空）"),
    "open_data.field.description_en": ("Description in English", "英文說明"),
    "open_data.field.description_zh": ("Description in Chinese", "中文說明"),
    "open_data.field.categories": ("Its technology categories (see the category ids below)",
                                   "所屬科技類別（見下方類別代號）"),
    "open_data.field.owner_org": ("The organisation that posted it", "發佈的機構"),
    "open_data.field.status": ("Whether it still takes solutions", "是否仍接受提交解決方案"),
    "open_data.field.wishes.created_at": ("When it was posted", "發佈時間"),
    "open_data.field.closes_on": ("The last day it takes solutions, if the department set one",
                                  "接受提交的最後一日（如部門有訂定）"),
    "open_data.field.closed_at": ("When it was closed", "截止時間"),
    "open_data.field.close_reason": ("Why it was closed, in the department's words",
                                     "截止原因（部門原文）"),
    "open_data.field.budget_hkd": ("Indicative budget in Hong Kong dollars, if given",
                                   "預算（港元），如有提供"),
    "open_data.field.venue_note": ("Where the department would like it tried, if said",
                                   "部門希望進行試驗的地點（如有註明）"),
    "open_data.field.page_en": ("Its page on this portal, in English", "本平台的英文網頁"),
    "open_data.field.page_zh": ("Its page on this portal, in Chinese", "本平台的中文網頁"),
    "open_data.field.trl": ("Technology readiness level, from 1 (basic principles) to 9 "
                            "(proven in operation)",
                            "技術成熟度，由 1（基本原理）至 9（已在實際運作中驗證）"),
    "open_data.field.website": ("The provider's web page about it, if given",
                                "提供者介紹該方案的網頁（如有提供）"),
    "open_data.field.wish_id": ("The wish it was submitted for, if any",
                                "針對的創科願望識別碼（如有）"),
    "open_data.field.solutions.created_at": ("When it was submitted", "提交時間"),
    "open_data.field.trial_id": ("The field trial the report is about", "報告所屬實地試驗的識別碼"),
    "open_data.field.version": ("The report's version: 1, and one more for each correction",
                                "報告版本：首版為 1，每次更正加 1"),
    "open_data.field.supersedes": ("The version this one corrects (empty for the first)",
                                   "此版本所更正的版本（首版留空）"),
    "open_data.field.verdict": ("The trial's result (see the verdicts below)",
                                "試驗結果（見下方試驗結果）"),
    "open_data.field.kpis_met": ("How many KPIs reached their target", "達到目標的關鍵績效指標數目"),
    "open_data.field.kpis_total": ("How many KPIs the trial set before it started",
                                   "試驗開始前訂定的關鍵績效指標數目"),
    "open_data.field.reports.wish_id": ("The wish the trial answered", "試驗回應的創科願望識別碼"),
    "open_data.field.reports.wish_title_en": ("The wish's title in English", "創科願望的英文標題"),
    "open_data.field.reports.wish_title_zh": ("The wish's title in Chinese", "創科願望的中文標題"),
    "open_data.field.reports.wish_owner_org": ("The department that posted the wish",
                                               "發佈創科願望的部門"),
    "open_data.field.reports.solution_id": ("The solution trialled", "接受試驗的創科解決方案識別碼"),
    "open_data.field.reports.solution_title_en": ("The solution's title in English",
                                                  "創科解決方案的英文標題"),
    "open_data.field.reports.solution_title_zh": ("The solution's title in Chinese",
                                                  "創科解決方案的中文標題"),
    "open_data.field.reports.solution_owner_org": ("The organisation that provided the solution",
                                                   "提供創科解決方案的機構"),
    "open_data.field.venue_id": ("Where the trial took place: the venue's id", "試驗場地的識別碼"),
    "open_data.field.venue_name_en": ("The venue's name in English", "試驗場地的英文名稱"),
    "open_data.field.venue_name_zh": ("The venue's name in Chinese", "試驗場地的中文名稱"),
    "open_data.field.planned_start": ("When the trial was planned to start", "試驗計劃開始時間"),
    "open_data.field.planned_end": ("When the trial was planned to end", "試驗計劃結束時間"),
    "open_data.field.actual_start": ("When the trial started", "試驗實際開始時間"),
    "open_data.field.completed_at": ("When the trial was completed", "試驗完成時間"),
    "open_data.field.published_at": ("When this version of the report was published",
                                     "此版本報告的發佈時間"),
    "open_data.field.content_hash": ("SHA-256 of the report's canonical JSON: shows a copy is "
                                     "unchanged", "報告標準 JSON 的 SHA-256 雜湊值，可用以核實副本未被改動"),
    "open_data.field.report_json": ("The report as JSON", "報告的 JSON 檔案"),
    "open_data.field.report_pdf": ("The report as PDF", "報告的 PDF 檔案"),
}

TEXTS: dict[str, tuple[str, str]] = {**PAGE, **FEEDS, **TYPES, **FIELDS}
