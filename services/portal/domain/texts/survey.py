"""Texts of the market survey (its page, the candidates on a wish's page) and of the possible
duplicates shown beside the wish and solution forms."""

TEXTS: dict[str, tuple[str, str]] = {
    # The market survey page
    "survey.title": ("Market survey", "市場調查"),
    "survey.intro": (
        "Under the pro-innovation procurement policy, describe a need and see the I&T solutions "
        "on the portal that might meet it, ranked by how well they match. Download the list for "
        "a procurement file.",
        "在支持創新的政府採購政策下，描述一項需要，即可按配對程度查看平台上可能滿足該需要的創科解決方案，"
        "並可下載清單作採購記錄。"),
    "survey.search": ("Market survey", "市場調查"),
    "survey.q": ("Describe the need", "描述需要"),
    "survey.q_hint": ("In English or Chinese, or both: the matcher links E&M terms across the "
                      "two languages, for example lift and 升降機.",
                      "可用中文或英文，或兩者並用：配對系統會連結兩種語言的機電用詞，例如「升降機」"
                      "與 lift。"),
    "survey.submit": ("Survey the market", "進行市場調查"),
    "survey.start": ("Describe a need above to see the solutions that might meet it.",
                     "請在上方描述需要，以查看可能滿足該需要的解決方案。"),
    "survey.for_wish": ("Candidate solutions for a wish", "願望的候選解決方案"),
    "survey.for_wish_lead": ("Solutions on the portal ranked against the wish", "平台上與此願望配對的解決方案"),
    "survey.own_words": ("Survey with your own words instead", "改用自訂字詞進行調查"),
    "survey.results": ("Candidate solutions", "候選解決方案"),
    "survey.ranked": ("Best match first. Every solution scoring {floor}% or more is listed: a "
                      "survey shows what might do, not only what matches well.",
                      "按配對程度排列，分數達 {floor}% 或以上的方案均會列出：市場調查列出可能合適的方案，"
                      "而不只是高度配對的方案。"),
    "survey.none": ("No solution on the portal matches this yet. Try other words or fewer "
                    "filters.", "平台上暫時沒有配對的解決方案。請嘗試其他字詞或減少篩選條件。"),
    "survey.score": ("Score {percent}%", "配對分數 {percent}%"),
    "survey.by": ("by {org}", "由{org}提交"),
    "survey.reasons": ("Why it is listed", "列出原因"),
    "survey.download": ("Download this survey as CSV (the first {rows} solutions)",
                        "下載此市場調查（CSV 檔案，首 {rows} 個方案）"),
    "survey.page": ("Page", "頁數"),
    "survey.home_link": ("Survey the market for a need", "為一項需要進行市場調查"),
    # On a wish's page, for its department and EMSD
    "survey.candidates": ("Market survey: candidate solutions", "市場調查：候選解決方案"),
    "survey.candidates_intro": (
        "Shown to the wish's department and to EMSD only: the solutions on the portal that best "
        "match this wish, whether or not their providers proposed them.",
        "只向發佈此願望的部門及機電署顯示：平台上與此願望最配對的解決方案，不論方案提供者有否提出建議。"),
    "survey.candidates_none": ("No solution on the portal matches this wish yet.",
                               "平台上暫時沒有與此願望配對的解決方案。"),
    "survey.candidates_all": ("The full market survey for this wish ({total} solutions)",
                              "此願望的完整市場調查（{total} 個方案）"),
    "survey.candidates_unavailable": (
        "The candidates cannot be shown right now because the matching service is not "
        "answering. Please try again in a minute.",
        "由於配對服務暫時沒有回應，候選方案暫時未能顯示，請於一分鐘後再試。"),
    # Possible duplicates beside the forms
    "similar.check.wish": ("Check for similar wishes", "檢查有否相似的願望"),
    "similar.check.solution": ("Check for similar solutions", "檢查有否相似的解決方案"),
    "similar.check_hint.wish": (
        "Compares your titles, descriptions and categories with the wishes already open. "
        "Nothing is posted until you post the wish.",
        "以你的標題、描述及類別與已發佈的願望比較。在你發佈願望之前，不會提交任何內容。"),
    "similar.check_hint.solution": (
        "Compares your titles, descriptions and categories with the solutions already listed. "
        "Nothing is submitted until you submit the solution.",
        "以你的標題、描述及類別與已登記的解決方案比較。在你提交方案之前，不會提交任何內容。"),
    "similar.title.wish": ("Similar wishes already open", "相似的已發佈願望"),
    "similar.title.solution": ("Similar solutions already listed", "相似的已登記解決方案"),
    "similar.intro.wish": (
        "These open wishes look like yours. If one is the same need, its department may welcome "
        "working together. You can still post yours.",
        "以下已發佈的願望與你的相似。如屬相同需要，可考慮與該部門合作。你仍可發佈你的願望。"),
    "similar.intro.solution": (
        "These solutions look like yours. If one of them is yours already, there is no need to "
        "submit it again. You can still submit this one.",
        "以下解決方案與你的相似。如其中一個已是你的方案，便無須再次提交。你仍可提交此方案。"),
    "similar.none.wish": ("No open wish looks like yours.", "沒有與你的願望相似的已發佈願望。"),
    "similar.none.solution": ("No listed solution looks like yours.", "沒有與你的方案相似的已登記方案。"),
    "similar.no_text": ("Write a title or a description first, then check again.",
                        "請先填寫標題或描述，然後再檢查。"),
    "similar.score": ("{percent}% alike", "相似度 {percent}%"),
    "similar.by.wish": ("posted by {org}", "由{org}發佈"),
    "similar.by.solution": ("by {org}", "由{org}提交"),
    "similar.trial": ("Field trial", "實地試驗"),
    "similar.no_trials": ("No field trial yet.", "暫未有實地試驗。"),
}
