"""Texts of the portal's alert pages: subscribe, confirm, manage, unsubscribe, and bad links."""

TEXTS: dict[str, tuple[str, str]] = {
    # The form (subscribe and manage)
    "subscribe.title": ("Get alerts of new wishes", "訂閱創科願望通知"),
    "subscribe.intro": ("Choose what interests you and we will email you when a wish that matches "
                        "it is posted. You confirm by email first, and every email has links to "
                        "change or stop your alerts.",
                        "選擇你關注的範疇，當有相符的創科願望發佈時，我們會以電郵通知你。你須先以電郵"
                        "確認訂閱，而每封電郵均附有更改或停止通知的連結。"),
    "subscribe.error_title": ("Error: {title}", "錯誤：{title}"),
    "subscribe.email": ("Email address", "電郵地址"),
    "subscribe.email_hint": ("We send a confirmation link to this address first.",
                             "我們會先將確認連結發送至此地址。"),
    "subscribe.categories": ("Categories", "類別"),
    "subscribe.categories_hint": ("Choose any that interest you.", "可選擇多於一項。"),
    "subscribe.keywords": ("Keywords", "關鍵詞"),
    "subscribe.keywords_hint": ("Words or phrases in English or Chinese, separated by commas, "
                                "for example: lift, 升降機, chiller",
                                "中文或英文字詞，以逗號分隔，例如：升降機、lift、冷水機"),
    "subscribe.keyword_problem": ('"{keyword}" {message}', "「{keyword}」{message}"),
    "subscribe.language": ("Language of the emails", "電郵語言"),
    "subscribe.language.en": ("English", "英文"),
    "subscribe.language.zh-HK": ("Traditional Chinese", "繁體中文"),
    "subscribe.frequency": ("How often", "通知頻率"),
    "subscribe.frequency.instant": ("At once: one email for each new wish",
                                    "即時：每有新願望即發一封電郵"),
    "subscribe.frequency.daily": ("Daily digest", "每日摘要"),
    "subscribe.frequency.weekly": ("Weekly digest, on Mondays", "每週摘要（逢星期一）"),
    "subscribe.reports": ("Field trial reports", "實地試驗表現報告"),
    "subscribe.reports_label": ("Also send me each published trial report",
                                "同時把每份已發佈的表現報告發送給我"),
    "subscribe.rules_hint": ("Choose at least one category or keyword, or the trial reports.",
                             "請最少選擇一個類別或關鍵詞，或選擇接收表現報告。"),
    "subscribe.submit": ("Subscribe", "訂閱"),
    "subscribe.privacy": ("We use your email address only for these alerts, and never show it "
                          "to anyone.", "你的電郵地址只會用於發送這些通知，並不會向任何人展示。"),
    "subscribe.down": ("The alerts service is not answering, so nothing was sent. What you "
                       "entered is kept below: please try again in a minute.",
                       "通知服務暫時沒有回應，因此未有發出任何電郵。你輸入的資料已保留在下方，"
                       "請於一分鐘後再試。"),
    # After sending the form
    "subscribe.sent.title": ("Check your email", "請查看你的電郵"),
    "subscribe.sent.to": ("We have sent a confirmation link to {email}.",
                          "我們已將確認連結發送至 {email}。"),
    "subscribe.sent.generic": ("We have sent a confirmation link to the address you gave.",
                               "我們已將確認連結發送至你提供的電郵地址。"),
    "subscribe.sent.body": ("Nothing else will be sent until you follow it. It works for 48 hours.",
                            "在你按下連結前，我們不會發送其他電郵。連結於 48 小時內有效。"),
    "subscribe.sent.missing": ("Not there after 15 minutes? Check your junk mail folder, then "
                               "subscribe again.",
                               "15 分鐘後仍未收到？請檢查垃圾郵件資料夾，然後重新訂閱。"),
    "subscribe.again": ("Subscribe again", "重新訂閱"),
    # The rules of a subscription
    "subscribe.summary": ("Your alerts", "你的通知設定"),
    "subscribe.summary.email": ("Email address", "電郵地址"),
    "subscribe.none": ("None", "無"),
    "subscribe.yes": ("Yes", "是"),
    "subscribe.no": ("No", "否"),
    # Confirmed
    "subscribe.confirmed.title": ("Your alerts are on", "你的通知已經啟用"),
    "subscribe.confirmed.body": ("Thank you. {email} will now receive E&M InnoPortal alerts.",
                                 "多謝。{email} 將會收到 E&M InnoPortal 的通知。"),
    "subscribe.manage_link": ("Change your alerts", "更改通知設定"),
    "subscribe.unsubscribe_link": ("Unsubscribe", "取消訂閱"),
    # Manage
    "subscribe.manage.title": ("Change your alerts", "更改通知設定"),
    "subscribe.manage.for": ("Alerts sent to {email}", "發送至 {email} 的通知"),
    "subscribe.manage.pending": ("This subscription is waiting for confirmation: follow the link "
                                 "in the confirmation email.",
                                 "此訂閱正等待確認：請按確認電郵內的連結。"),
    "subscribe.manage.saved": ("Your alerts were saved.", "已儲存你的通知設定。"),
    "subscribe.manage.submit": ("Save my alerts", "儲存通知設定"),
    "subscribe.manage.unsubscribe": ("Unsubscribe from all alerts", "取消所有通知"),
    # Unsubscribe
    "subscribe.unsub.title": ("Unsubscribe", "取消訂閱"),
    "subscribe.unsub.subscription": ("Stop these alerts to {email}?",
                                     "停止向 {email} 發送以下通知？"),
    "subscribe.unsub.replaced": ("Stop every alert email to {email}?",
                                 "停止向 {email} 發送所有通知電郵？"),
    "subscribe.unsub.contact": ("Stop every E&M InnoPortal email to {email}?",
                                "停止向 {email} 發送所有 E&M InnoPortal 電郵？"),
    "subscribe.unsub.contact_why": ("You receive them as the contact of a wish or a solution.",
                                    "你以創科願望或創科解決方案聯絡人的身份收到這些電郵。"),
    "subscribe.unsub.note": ("Nothing changes until you press the button.",
                             "按下按鈕前，一切不會改變。"),
    "subscribe.unsub.button": ("Unsubscribe", "取消訂閱"),
    "subscribe.unsub.done": ("You are unsubscribed", "已取消訂閱"),
    "subscribe.unsub.done_subscription": ("{email} will receive no more E&M InnoPortal alerts. "
                                          "Nothing already queued will be sent.",
                                          "{email} 不會再收到 E&M InnoPortal 的通知，"
                                          "已在輪候的電郵亦不會發出。"),
    "subscribe.unsub.done_contact": ("{email} will receive no more E&M InnoPortal emails.",
                                     "{email} 不會再收到任何 E&M InnoPortal 電郵。"),
    "subscribe.unsub.again": ("Changed your mind? You can subscribe again at any time; you will "
                              "be asked to confirm.",
                              "改變主意？你可隨時重新訂閱，屆時須再次確認。"),
    # A link that cannot be used
    "subscribe.link.400.title": ("This link cannot be used", "此連結無法使用"),
    "subscribe.link.400.body": ("It is incomplete or not genuine. The links in InnoPortal emails "
                                "are personal and signed: if you copied one, check that you "
                                "copied all of it.",
                                "連結不完整或並不真確。InnoPortal 電郵內的連結屬個人專用並經簽署；"
                                "如你複製了連結，請檢查是否完整。"),
    "subscribe.link.404.title": ("We cannot find this subscription", "找不到此訂閱"),
    "subscribe.link.404.body": ("It may have been removed because it was not confirmed in time.",
                                "此訂閱可能因未有及時確認而已被刪除。"),
    "subscribe.link.410.title": ("This link has expired", "此連結已經失效"),
    "subscribe.link.410.body": ("A confirmation link works for 48 hours, and the links of a "
                                "subscription stop working once it has ended or been replaced "
                                "by a newer one.",
                                "確認連結於 48 小時內有效；訂閱結束或由較新的訂閱取代後，"
                                "其連結亦會失效。"),
    "subscribe.link.reason": ("The alerts service said: {message}", "通知服務回覆：{message}"),
    "subscribe.link.again": ("Subscribe again to get a new link.", "請重新訂閱以取得新連結。"),
}
