"""Texts of the performance report pages: the list of published reports and one report."""

TEXTS: dict[str, tuple[str, str]] = {
    "report.verdict.passed": ("Passed", "通過"),
    "report.verdict.partially_passed": ("Partially passed", "部分通過"),
    "report.verdict.failed": ("Failed", "未通過"),
    # The list
    "reports.title": ("Field trial performance reports", "實地試驗表現報告"),
    "reports.intro": ("After each field trial, EMSD publishes an objective performance report for "
                      "public reference, so that others can adopt the solution. Each report shows "
                      "the key performance indicators fixed before the trial started, what was "
                      "measured, and whether each target was met.",
                      "每項實地試驗完成後，機電工程署會發佈客觀的表現報告供公眾參考，方便其他機構"
                      "採用有關方案。每份報告列出試驗開始前訂定的關鍵績效指標、量度結果，以及各項"
                      "目標是否達到。"),
    "reports.filter": ("Filter reports", "篩選報告"),
    "reports.results": ("Published reports", "已發佈的報告"),
    "reports.none": ("No published report matches.", "沒有符合條件的已發佈報告。"),
    "reports.none_yet": ("No report has been published yet.", "暫時未有已發佈的報告。"),
    "reports.page": ("Page", "頁數"),
    "reports.newest_first": ("Newest first.", "最新的排在最前。"),
    "report.input.verdict": ("Choose passed, partially passed or failed",
                             "請選擇「通過」、「部分通過」或「未通過」"),
    "report.input.version": ("Must be a version number from 1 to {max}",
                             "必須是 1 至 {max} 的版本號碼"),
    # Facts of a report, in the list and on its page
    "report.verdict": ("Verdict", "評定結果"),
    "report.kpis_met": ("KPIs met", "達標指標"),
    "report.met_of": ("{met} of {total}", "{total} 項中 {met} 項"),
    "report.met_summary": ("{met} of {total} key performance indicators met",
                           "{total} 項關鍵績效指標中 {met} 項達標"),
    "report.wish": ("Wish", "創科願望"),
    "report.venue": ("Venue", "場地"),
    "report.published": ("Published", "發佈日期"),
    # One report
    "report.heading": ("Performance report", "表現報告"),
    "report.page_title": ("Performance report: {title}", "表現報告：{title}"),
    "report.downloads": ("Download this report", "下載本報告"),
    "report.download_pdf": ("PDF document (version {version})", "PDF 文件（第 {version} 版）"),
    "report.download_json": ("JSON data (version {version})", "JSON 數據（第 {version} 版）"),
    "report.about": ("About the trial", "試驗資料"),
    "report.conducted_by": ("Conducted by", "主辦機構"),
    "report.planned": ("Planned", "計劃時段"),
    "report.started": ("Started", "實際開始"),
    "report.completed": ("Completed", "完成"),
    "report.trial_record": ("The trial's own page", "試驗專頁"),
    "report.trial_link": ("Its plan, amendments and timeline", "試驗計劃、修訂及時間線"),
    "report.summary": ("Summary", "摘要"),
    "report.kpis": ("Key performance indicators", "關鍵績效指標"),
    "report.kpis_caption": ("Each indicator, its target and its measured result",
                            "各項指標的目標及量度結果"),
    "report.col.kpi": ("Indicator", "指標"),
    "report.col.unit": ("Unit", "單位"),
    "report.col.better": ("Better when", "較佳方向"),
    "report.col.baseline": ("Baseline", "基線"),
    "report.col.target": ("Target", "目標"),
    "report.col.measured": ("Measured result", "量度結果"),
    "report.col.readings": ("Readings", "讀數數目"),
    "report.col.met": ("Met", "達標"),
    "report.met.yes": ("Met", "達標"),
    "report.met.no": ("Not met", "未達標"),
    "report.met.no_data": ("No data", "沒有數據"),
    "report.no_value": ("None", "沒有"),
    "report.charts": ("Indicators over time", "指標走勢"),
    "report.charts_intro": ("Each chart shows one indicator's readings during the trial, with its "
                            "baseline, target and measured result. The table above holds the same "
                            "figures.",
                            "每幅圖表顯示一項指標在試驗期間的讀數，以及其基線、目標及量度結果。"
                            "上表載有相同數據。"),
    "report.chart_alt": ("Chart of {name} ({unit}) during the trial: {count} readings; baseline "
                         "{baseline}, target {target}, measured result {measured}.",
                         "「{name}」（{unit}）於試驗期間的走勢圖：{count} 個讀數；基線 {baseline}，"
                         "目標 {target}，量度結果 {measured}。"),
    "report.chart_alt_none": ("Chart of {name} ({unit}): no readings were recorded; baseline "
                              "{baseline}, target {target}.",
                              "「{name}」（{unit}）走勢圖：沒有量度數據；基線 {baseline}，"
                              "目標 {target}。"),
    "report.chart_full": ("Open the chart of {name} at full size", "以原尺寸開啟「{name}」圖表"),
    "report.method": ("How results are computed", "結果計算方法"),
    "report.amendments": ("Amendments to the plan", "計劃修訂"),
    "report.record": ("Lifecycle record", "試驗過程紀錄"),
    "report.integrity": ("Version and integrity", "版本及完整性"),
    "report.version": ("Version", "版本"),
    "report.version_n": ("Version {version}", "第 {version} 版"),
    "report.hash": ("Content hash (SHA-256)", "內容雜湊值（SHA-256）"),
    "report.hash_note": ("The content hash is SHA-256 over the canonical JSON of the report "
                         "(keys sorted, compact, UTF-8, without content_hash): anyone can "
                         "recompute it from the JSON download.",
                         "內容雜湊值是以報告的規範 JSON（鍵排序、緊湊、UTF-8、不含 content_hash）"
                         "計算的 SHA-256，任何人都可以從 JSON 下載檔重新計算核對。"),
    "report.supersedes": ("Supersedes", "取代"),
    "report.correction": ("Correction", "更正"),
    "report.correction_reason": ("Reason for the correction", "更正原因"),
    "report.corrected_by": ("Corrected by {org} on {date}", "由{org}於{date}更正"),
    "report.superseded_hash": ("Hash of the version it replaces", "被取代版本的雜湊值"),
    "report.earlier": ("Earlier versions", "較早版本"),
    "report.first_version": ("None: this is the first version.", "沒有：這是第一版。"),
    "report.corrected_notice": ("This is a corrected version (version {version}). It replaces "
                                "version {supersedes}.",
                                "這是更正版本（第 {version} 版），取代第 {supersedes} 版。"),
    "report.old_notice": ("You are reading version {version}. A later version, {latest}, has "
                          "been published.", "你正在閱讀第 {version} 版。已有較新的第 {latest} 版。"),
    "report.latest_link": ("Read the latest version", "閱讀最新版本"),
}
