"""Texts of the wishes pages."""

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
}
