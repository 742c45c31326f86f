"""Texts of the solutions pages: the catalogue and one solution."""

TEXTS: dict[str, tuple[str, str]] = {
    "solutions.title": ("I&T solutions", "創科解決方案"),
    "solutions.intro": ("The catalogue of I&T solutions proposed by universities, start-ups, SMEs "
                        "and research institutes. Search it in English or Chinese.",
                        "由大學、初創企業、中小企及科研機構提出的創科解決方案目錄。可用中文或英文搜尋。"),
    "solutions.search": ("Search solutions", "搜尋解決方案"),
    "solutions.q": ("Words to look for", "搜尋字詞"),
    "solutions.q_hint": ("In English or Chinese, for example leak or 升降機",
                         "中文或英文，例如「升降機」或 leak"),
    "solutions.trl_min": ("Technology readiness (TRL)", "技術成熟度（TRL）"),
    "solutions.results": ("Results", "搜尋結果"),
    "solutions.submitted_by": ("Submitted by {org} on {date}", "由{org}於{date}提交"),
    "solutions.none": ("No solution matches your search.", "沒有符合搜尋條件的解決方案。"),
    "solutions.page": ("Page", "頁數"),
    # One solution
    "solutions.owner": ("Organisation", "機構"),
    "solutions.website": ("Website", "網站"),
    "solutions.for_wish": ("Submitted for", "回應的願望"),
    "solutions.for_catalogue": ("The catalogue: matched against every wish",
                                "方案目錄：與所有願望配對"),
    "solutions.wish_fallback": ("The wish it was submitted for", "此方案回應的願望"),
    "solutions.no_matches": ("No match has been accepted for this solution yet.",
                             "此方案暫未有獲接納的配對。"),
}
