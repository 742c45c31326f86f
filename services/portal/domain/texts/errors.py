"""Texts of error pages and notices: not found, a service that does not answer, bad input."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.not_found.title": ("Page not found", "找不到網頁"),
    "error.not_found.body": ("If you typed the web address, check it is correct. If you followed a "
                             "link, the item may have been removed.",
                             "如你輸入了網址，請檢查是否正確。如你按了連結，該項目可能已被移除。"),
    "error.unavailable.title": ("Sorry, this part of the portal is not available right now",
                                "抱歉，平台這部分暫時未能使用"),
    "error.unavailable.body": ("The {service} is not answering. Nothing you entered was lost. "
                               "Please try again in a minute.",
                               "{service}暫時沒有回應。你輸入的資料沒有遺失，請於一分鐘後再試。"),
    "error.partial": ("Some figures are missing because the {service} is not answering.",
                      "由於{service}暫時沒有回應，部分數字未能顯示。"),
    "error.internal.title": ("Sorry, something went wrong", "抱歉，出現了問題"),
    "error.internal.body": ("The problem has been recorded. Please try again later.",
                            "我們已記錄這個問題，請稍後再試。"),
    "error.bad_request.title": ("Some of what was asked cannot be used", "部分要求無法處理"),
    "error.csrf.title": ("This form has expired", "此表格已失效"),
    "error.csrf.body": ("For your security, a form can only be sent from the page that showed it. "
                        "Go back, reload the page and send it again.",
                        "為保障你的安全，表格只可從顯示它的網頁送出。請返回上一頁，重新載入後再送出。"),
    "error.forbidden.title": ("You cannot do this", "你無權進行此操作"),
    "error.forbidden.body": ("Your account's role does not allow this. If you think it should, "
                             "ask an EMSD administrator.",
                             "你的帳戶角色不容許進行此操作。如你認為應可進行，請聯絡機電署管理員。"),
    "error.home_link": ("Go to the home page", "返回主頁"),
    "service.wishes": ("wishes service", "創科願望服務"),
    "service.solutions": ("solutions service", "創科解決方案服務"),
    "service.matcher": ("matching service", "配對服務"),
    "service.notifier": ("alerts service", "通知服務"),
    "service.trials": ("trials service", "實地試驗服務"),
    "input.too_long": ("Must be at most {max} characters (you entered {length})",
                       "最多 {max} 個字元（你輸入了 {length} 個）"),
    "input.control": ("Must not contain control characters", "不可包含控制字元"),
    "input.category": ("Choose a category from the list", "請從清單中選擇類別"),
    "input.status": ("Choose open or closed", "請選擇「接受提交」或「已截止」"),
    "input.page": ("Must be a whole number from 1 to {max}", "必須是 1 至 {max} 的整數"),
    "input.page_beyond": ("There is no page {page}; the last is {last}",
                          "沒有第 {page} 頁；最後一頁是第 {last} 頁"),
    "input.trl": ("Choose a readiness level from 1 to 9", "請選擇 1 至 9 的成熟度級別"),
}
