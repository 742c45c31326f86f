"""Texts of the workspace's records pages: my wishes, my solutions, and the forms to post them."""

TEXTS: dict[str, tuple[str, str]] = {
    "myrec.crumbs": ("My workspace", "我的工作區"),
    "myrec.error_title": ("Error: {title}", "錯誤：{title}"),
    # The shared parts of the two forms
    "myrec.form.texts": ("Title and description", "標題及描述"),
    "myrec.form.texts_hint": ("Write in English, Chinese or both. At least one language must be "
                              "complete: a title and a description in that language.",
                              "可用英文、中文或兩者填寫。最少一種語言須完整，即該語言的標題及描述都要填寫。"),
    "myrec.form.in_en": ("In English", "英文"),
    "myrec.form.in_zh": ("In Chinese", "中文"),
    "myrec.form.title_en": ("Title in English", "英文標題"),
    "myrec.form.title_zh": ("Title in Chinese", "中文標題"),
    "myrec.form.description_en": ("Description in English", "英文描述"),
    "myrec.form.description_zh": ("Description in Chinese", "中文描述"),
    "myrec.form.title_hint": ("2 to 200 characters.", "2 至 200 個字元。"),
    "myrec.form.categories": ("Categories", "類別"),
    "myrec.form.categories_hint": ("Choose 1 to 5.", "請選擇 1 至 5 個。"),
    "myrec.form.contact_email": ("Contact email", "聯絡電郵"),
    "myrec.form.contact_hint.wish": ("Shown only to EMSD, and to a provider once EMSD accepts its "
                                     "solution for this wish.",
                                     "只會向機電署顯示；機電署接納某方案與此願望的配對後，亦會向該方案提供者顯示。"),
    "myrec.form.contact_hint.solution": ("Shown only to EMSD, and to a department once EMSD "
                                         "accepts your solution for its wish.",
                                         "只會向機電署顯示；機電署接納你的方案與某部門願望的配對後，亦會向該部門顯示。"),
    "myrec.form.optional": ("{label} (optional)", "{label}（選填）"),
    "myrec.form.down": ("The {service} is not answering, so nothing was saved. What you entered "
                        "is still here: please send it again in a minute.",
                        "{service}暫時沒有回應，所以未有儲存任何資料。你輸入的內容仍在這裏，請於一分鐘後再送出。"),
    # The wish form
    "myrec.wish_new.title": ("Post a wish", "發佈創科願望"),
    "myrec.wish_new.intro": ("Describe a service need or a problem you want technology to solve. "
                             "It is published on the portal at once, subscribers hear of it, and "
                             "the matcher looks for solutions.",
                             "描述你希望以科技滿足的服務需要或解決的問題。願望會即時在平台發佈，"
                             "訂閱者會收到通知，配對系統亦會尋找解決方案。"),
    "myrec.wish_new.details": ("More about the need", "其他資料"),
    "myrec.form.budget_hkd": ("Indicative budget in HK$", "參考預算（港幣）"),
    "myrec.form.budget_hint": ("Whole Hong Kong dollars, for example 800000.",
                               "以港幣計的整數，例如 800000。"),
    "myrec.form.closes_on": ("Closing date", "截止日期"),
    "myrec.form.closes_on_hint": ("Providers can propose solutions up to this day, Hong Kong time. "
                                  "Leave it blank to take proposals until you close the wish.",
                                  "方案提供者可於此日或之前（香港時間）提出解決方案。如留空，願望會一直接受提交，"
                                  "直至你把它截止。"),
    "myrec.form.venue_note": ("Venue for a trial", "試驗場地"),
    "myrec.form.venue_hint": ("Where a solution could be tried, for example a building or a site.",
                              "可進行試驗的地點，例如某幢大樓或某個場地。"),
    "myrec.wish_new.submit": ("Post the wish", "發佈願望"),
    # The solution form
    "myrec.solution_new.title": ("Submit a solution", "提交創科解決方案"),
    "myrec.solution_new.intro": ("Describe your I&T solution. It is published in the catalogue at "
                                 "once and matched against the wishes; you hear by email when EMSD "
                                 "accepts a match.",
                                 "描述你的創科解決方案。方案會即時在方案目錄發佈並與各願望配對；"
                                 "機電署接納配對後，你會收到電郵通知。"),
    "myrec.solution_new.details": ("About the solution", "方案資料"),
    "myrec.form.for_wish": ("For the wish", "回應願望"),
    "myrec.form.for_wish_hint": ("Your solution is submitted for this wish.",
                                 "你的方案會提交予此願望。"),
    "myrec.form.to_catalogue_instead": ("Submit it to the catalogue instead",
                                        "改為提交至方案目錄"),
    "myrec.form.catalogue": ("Your solution goes to the catalogue, where it is matched against "
                             "every wish. To answer one wish, use “Propose a solution” on that "
                             "wish's page.",
                             "你的方案會加入方案目錄，與所有願望配對。如要回應某一願望，請在該願望的網頁按"
                             "「提出解決方案」。"),
    "myrec.form.wish_closed": ("This wish is closed and no longer takes proposals. If you submit "
                               "the form, your solution goes to the catalogue, where it is matched "
                               "against every wish.",
                               "此願望已截止，不再接受提交解決方案。如你送出表格，方案會加入方案目錄，與所有願望配對。"),
    "myrec.form.wish_refused_hint": ("You can send your solution to the catalogue instead, where "
                                     "it is matched against every wish.",
                                     "你可改為把方案提交至方案目錄，與所有願望配對。"),
    "myrec.form.send_for_wish": ("Send again for this wish", "再次提交予此願望"),
    "myrec.form.send_to_catalogue": ("Send to the catalogue instead", "改為提交至方案目錄"),
    "myrec.form.trl_choose": ("Choose a level", "請選擇級別"),
    "myrec.form.website": ("Website", "網站"),
    "myrec.form.website_hint": ("A page about the solution, starting with https://",
                                "介紹此方案的網頁，以 https:// 開頭"),
    "myrec.form.wish_id": ("Wish", "願望"),
    "myrec.solution_new.submit": ("Submit the solution", "提交方案"),
    # My wishes
    "myrec.wishes.title": ("My wishes", "我的創科願望"),
    "myrec.wishes.intro": ("The wishes {org} has posted, newest first, with the solutions matched "
                           "to them, EMSD's decisions and the field trials.",
                           "{org}發佈的創科願望（最新的先列出），以及與其配對的解決方案、機電署的決定及實地試驗。"),
    "myrec.wishes.new": ("Post a wish", "發佈創科願望"),
    "myrec.wishes.none": ("{org} has not posted a wish yet.", "{org}尚未發佈任何創科願望。"),
    "myrec.wishes.posted": ("Your wish was posted. It is on the public list at once, and the "
                            "matcher is looking for solutions.",
                            "你的願望已發佈，並即時在公開清單上顯示；配對系統正在尋找解決方案。"),
    "myrec.wishes.public_page": ("See its public page", "查看公開網頁"),
    "myrec.wishes.closed": ("The wish was closed. Providers can no longer propose solutions to it.",
                            "願望已截止，方案提供者不能再就此提出解決方案。"),
    "myrec.wishes.already_closed": ("That wish was already closed.", "該願望早已截止。"),
    "myrec.wishes.posted_on": ("Posted on {date}", "於{date}發佈"),
    "myrec.close.open": ("Close this wish", "截止此願望"),
    "myrec.close.reason": ("Reason for closing", "截止原因"),
    "myrec.close.reason_hint": ("Shown on the wish's public page.", "會在願望的公開網頁上顯示。"),
    "myrec.close.submit": ("Close the wish", "截止願望"),
    # My solutions
    "myrec.solutions.title": ("My solutions", "我的創科解決方案"),
    "myrec.solutions.intro": ("The solutions {org} has submitted, newest first, with the wishes "
                              "matched to them, EMSD's decisions and the field trials.",
                              "{org}提交的創科解決方案（最新的先列出），以及與其配對的願望、機電署的決定及實地試驗。"),
    "myrec.solutions.new": ("Submit a solution", "提交創科解決方案"),
    "myrec.solutions.none": ("{org} has not submitted a solution yet.", "{org}尚未提交任何創科解決方案。"),
    "myrec.solutions.submitted_on": ("Submitted on {date}", "於{date}提交"),
    # The facts of one of my records
    "myrec.contact": ("Contact email", "聯絡電郵"),
    "myrec.closes_on": ("Closes on", "截止日期"),
    "myrec.budget": ("Indicative budget", "參考預算"),
    "myrec.website": ("Website", "網站"),
    "myrec.for_wish": ("Submitted for", "回應的願望"),
    "myrec.closed_on": ("Closed on {date}", "已於{date}截止"),
    "myrec.close_reason": ("Reason", "原因"),
    # Matches and EMSD's decisions
    "myrec.matches": ("Matches", "配對"),
    "myrec.matches.count": ("Matches ({count})", "配對（{count} 個）"),
    "myrec.matches.none.wish": ("No solution has been matched to this wish yet. The matcher "
                                "compares every new solution with it.",
                                "暫時未有解決方案與此願望配對。配對系統會把每個新方案與它比較。"),
    "myrec.matches.none.solution": ("No wish has been matched to this solution yet. The matcher "
                                    "compares every new wish with it.",
                                    "暫時未有願望與此方案配對。配對系統會把每個新願望與它比較。"),
    "myrec.matches.more": ("Showing the {shown} best of {total} matches.",
                           "顯示 {total} 個配對中分數最高的 {shown} 個。"),
    "myrec.matches_unavailable": ("The matches cannot be shown right now because the matching "
                                  "service is not answering. Please try again in a minute.",
                                  "由於配對服務暫時沒有回應，配對暫時未能顯示，請於一分鐘後再試。"),
    "myrec.decision": ("EMSD's decision", "機電署的決定"),
    "myrec.decision.pending": ("Waiting for EMSD's decision", "待機電署決定"),
    "myrec.decision.accepted": ("Accepted by EMSD", "機電署已接納"),
    "myrec.decision.rejected": ("Rejected by EMSD", "機電署已拒絕"),
    "myrec.decided_on": ("on {date}", "（{date}）"),
    "myrec.decision_reason": ("EMSD's reason", "機電署的理由"),
    "myrec.party_contact": ("Contact email of {org}", "{org}的聯絡電郵"),
    # The propose action on a wish's page and the propose page
    "myrec.propose.new_here": ("No provider account yet?", "未有方案提供者帳戶？"),
    "myrec.propose.how": ("How to register and propose", "了解如何登記及提交"),
    "myrec.propose.providers_only": ("Solutions are proposed by providers, signed in with a "
                                     "provider account.",
                                     "解決方案須由方案提供者以其帳戶登入後提交。"),
    "myrec.propose.intro": ("Providers propose solutions in their workspace: sign in with your "
                            "provider account and fill in the form.",
                            "方案提供者可在其工作區提交解決方案：以方案提供者帳戶登入，然後填寫表格。"),
    "myrec.propose.use_form": ("Propose a solution with the form", "以表格提出解決方案"),
    "myrec.propose.use_form_catalogue": ("Submit a solution to the catalogue with the form",
                                         "以表格把解決方案提交至方案目錄"),
    "myrec.propose.register_title": ("No account yet?", "未有帳戶？"),
    "myrec.propose.register": ("Universities, start-ups, SMEs and research institutes register "
                               "as providers with their organisation and email address; a link "
                               "by email confirms the address, and no password is needed.",
                               "大學、初創企業、中小企及科研機構可以機構名稱及電郵地址登記成為方案提供者；"
                               "我們會以電郵發出連結確認地址，無需密碼。"),
    "myrec.propose.register_link": ("Register as a provider", "登記成為方案提供者"),
    "myrec.propose.api_title": ("Or through the API", "或經 API 提交"),
}
