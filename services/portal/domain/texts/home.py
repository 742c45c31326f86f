"""Texts of the home page: what the portal is for, the figures, the newest records."""

TEXTS: dict[str, tuple[str, str]] = {
    "home.title": ("Innovation for public services", "以創新科技提升公共服務"),
    "home.intro": (
        "Government departments and public bodies post their service needs here as wishes. "
        "Universities, start-ups, SMEs and research institutes propose I&T solutions. "
        "The portal matches them, and EMSD arranges field trials of the best matches at its "
        "headquarters or other government premises, then publishes an objective performance "
        "report so that others can adopt what works.",
        "政府部門及公營機構在這裏發佈服務願望，大學、初創企業、中小企及科研機構則提出創科解決方案。"
        "平台為兩者配對，機電署會在總部大樓或其他政府處所為成功配對的方案安排實地試驗，"
        "並發佈客觀的表現報告，讓其他機構可以採用行之有效的方案。"),
    "home.survey": (
        "Under the pro-innovation procurement policy, departments also use the portal as a market "
        "survey: to see which I&T solutions on the market meet a need.",
        "在支持創新的政府採購政策下，各部門亦可利用平台作為市場調查的工具，物色市場上能滿足需要的創科解決方案。"),
    "home.how": ("How it works", "運作方式"),
    "home.step_wish": ("A department posts a wish: a need or a problem it wants technology to solve.",
                       "政府部門發佈願望：希望以科技解決的服務需要或問題。"),
    "home.step_alert": ("Subscribers hear of it by email and propose solutions.",
                        "訂閱者透過電郵得悉新願望，並提出解決方案。"),
    "home.step_match": ("The matcher pairs wishes and solutions; EMSD reviews each match.",
                        "配對系統為願望和方案配對，由機電署審視每個配對。"),
    "home.step_trial": ("Accepted matches go to a field trial with targets fixed in advance.",
                        "獲接納的配對會進行實地試驗，目標在試驗前訂定。"),
    "home.step_report": ("A performance report is published for everyone to read.",
                         "試驗完成後發佈表現報告，供公眾參考。"),
    "home.figures": ("The portal in figures", "平台數字"),
    "home.figures_note": ("Live figures, counted a few seconds ago at most.",
                          "即時數字，最多於數秒前計算。"),
    "home.figure.open_wishes": ("open wishes", "個接受提交的願望"),
    "home.figure.solutions": ("I&T solutions", "個創科解決方案"),
    "home.figure.matches_accepted": ("matches accepted", "個獲接納的配對"),
    "home.figure.trials_running": ("field trials running", "項進行中的實地試驗"),
    "home.figure.reports_published": ("performance reports published", "份已發佈的表現報告"),
    "home.figure.unknown": ("not available", "暫時未能提供"),
    "home.newest_wishes": ("Newest wishes", "最新願望"),
    "home.newest_reports": ("Newest performance reports", "最新表現報告"),
    "home.all_wishes": ("All wishes", "所有願望"),
    "home.all_reports": ("All reports", "所有報告"),
    "home.no_wishes": ("No wish is open at the moment.", "目前沒有接受提交的願望。"),
    "home.no_reports": ("No report has been published yet.", "尚未發佈任何報告。"),
    "home.get_alerts": ("Get opportunity alerts by email", "以電郵接收商機通知"),
    "home.posted_by": ("Posted by {org} on {date}", "由{org}於{date}發佈"),
    "home.closes_on": ("Closes on {date}", "截止日期：{date}"),
}
