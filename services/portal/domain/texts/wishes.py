"""Texts of the wishes pages: the list, one wish, and how to propose a solution to it."""

TEXTS: dict[str, tuple[str, str]] = {
    "wishes.title": ("Wishes", "創科願望"),
    "wishes.intro": ("Service needs that government departments and public bodies want technology "
                     "to meet. Search them in English or Chinese.",
                     "政府部門及公營機構希望以科技滿足的服務需要。可用中文或英文搜尋。"),
    "wishes.search": ("Search wishes", "搜尋願望"),
    "wishes.q": ("Words to look for", "搜尋字詞"),
    "wishes.q_hint": ("In English or Chinese, for example lift or 升降機", "中文或英文，例如「升降機」或 lift"),
    "wishes.status": ("Status", "狀況"),
    "wishes.status.open": ("Open", "接受提交"),
    "wishes.status.closed": ("Closed", "已截止"),
    "wishes.results": ("Results", "搜尋結果"),
    "wishes.posted_by": ("Posted by {org} on {date}", "由{org}於{date}發佈"),
    "wishes.closes_on": ("Closes on {date}", "截止日期：{date}"),
    "wishes.none": ("No wish matches your search.", "沒有符合搜尋條件的願望。"),
    "wishes.page": ("Page", "頁數"),
    # One wish
    "wishes.owner": ("Department", "部門"),
    "wishes.closing_date": ("Closing date", "截止日期"),
    "wishes.budget": ("Indicative budget", "預算（參考）"),
    "wishes.venue": ("Venue", "試驗地點"),
    "wishes.closed_on": ("Closed on {date}", "已於{date}截止"),
    "wishes.close_reason": ("Reason: {reason}", "原因：{reason}"),
    "wishes.propose": ("Propose a solution", "提出解決方案"),
    "wishes.propose_intro": ("Does your technology meet this need? Universities, start-ups, SMEs "
                             "and research institutes are welcome to propose a solution.",
                             "你的技術能滿足這項需要嗎？歡迎大學、初創企業、中小企及科研機構提出解決方案。"),
    "wishes.closed_no_proposals": ("This wish is closed and no longer takes proposals.",
                                   "此願望已截止，不再接受提交解決方案。"),
    "wishes.no_matches": ("No match has been accepted for this wish yet.",
                          "此願望暫未有獲接納的配對。"),
    # How to propose a solution
    "propose.title": ("Propose a solution", "提出解決方案"),
    "propose.for_wish": ("To the wish", "回應願望"),
    "propose.intro": ("Signed-in workspaces for providers are coming. Until then, this is how to "
                      "propose an I&T solution.",
                      "供方案提供者使用的登入工作區即將推出。在此之前，請按以下方法提出創科解決方案。"),
    "propose.closed": ("This wish is closed and no longer takes proposals. You can still add "
                       "your solution to the catalogue, where it is matched against every wish.",
                       "此願望已截止，不再接受提交解決方案。你仍可把方案加入方案目錄，與所有願望配對。"),
    "propose.steps": ("How to propose", "提交方法"),
    "propose.step_token": ("Ask EMSD for a provider token for your organisation. Operators issue "
                           "one with:",
                           "向機電署索取你所屬機構的方案提供者權杖。系統管理員以下列指令發出："),
    "propose.step_submit": ("Submit your solution to the solutions API with this wish's id in "
                            "wish_id: give a title and description in English, Chinese or both, "
                            "1 to 5 categories, a contact email and the technology readiness "
                            "level (1 to 9).",
                            "把解決方案提交至解決方案 API，並在 wish_id 填上此願望的編號：提供英文、"
                            "中文或兩者的標題及描述、1 至 5 個類別、聯絡電郵及技術成熟度級別（1 至 9）。"),
    "propose.step_submit_any": ("Submit your solution to the solutions API: give a title and "
                                "description in English, Chinese or both, 1 to 5 categories, a "
                                "contact email and the technology readiness level (1 to 9).",
                                "把解決方案提交至解決方案 API：提供英文、中文或兩者的標題及描述、"
                                "1 至 5 個類別、聯絡電郵及技術成熟度級別（1 至 9）。"),
    "propose.step_after": ("The matcher compares your solution with the wishes at once. When EMSD "
                           "accepts a match, both sides hear of it by email; your contact email "
                           "is shown only to EMSD and the department concerned.",
                           "配對系統會即時把你的方案與各願望比較。機電署接納配對後，雙方都會收到電郵通知；"
                           "你的聯絡電郵只會向機電署及相關部門顯示。"),
    "propose.org_placeholder": ("Your organisation", "你的機構"),
    "propose.example": ("For example:", "例如："),
    "propose.alerts_title": ("Hear of new wishes", "接收新願望通知"),
    "propose.alerts": ("Not ready yet? Get an email when new wishes in your field are posted.",
                       "未準備好？訂閱通知，有你範疇的新願望發佈時便會收到電郵。"),
    "propose.alerts_link": ("Subscribe to opportunity alerts", "訂閱商機通知"),
    "propose.back": ("Back to the wish", "返回願望"),
    "propose.example_title": ("The title of your solution", "你的方案標題"),
    "propose.example_description": ("What it does and how it meets the need",
                                    "方案的功能及如何滿足需要"),
}
