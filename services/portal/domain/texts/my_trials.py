"""Texts of the workspace's venue and field trial pages: venues and their calendars, trials,
opening one, its actions, and measurements (one at a time, or a CSV file)."""

WEEKDAYS = (("Monday", "星期一"), ("Tuesday", "星期二"), ("Wednesday", "星期三"),
            ("Thursday", "星期四"), ("Friday", "星期五"), ("Saturday", "星期六"), ("Sunday", "星期日"))
SHORT_WEEKDAYS = (("Mon", "一"), ("Tue", "二"), ("Wed", "三"), ("Thu", "四"), ("Fri", "五"),
                  ("Sat", "六"), ("Sun", "日"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
ZH_MONTHS = ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月")

VENUES: dict[str, tuple[str, str]] = {
    "my_venues.title": ("Venues", "場地"),
    "my_venues.intro": ("The premises that host field trials. A venue hosts one trial at a time "
                        "unless it is marked as able to host several.",
                        "進行實地試驗的場地。除非註明可同時進行多項試驗，每個場地同一時間只可進行一項試驗。"),
    "my_venues.caption": ("{count} venues; open one to see its calendar of bookings",
                          "共 {count} 個場地；開啟場地可查看其預訂日曆"),
    "my_venues.col.venue": ("Venue", "場地"),
    "my_venues.col.hosts": ("Trials at once", "同時進行的試驗"),
    "my_venues.hosts.one": ("One at a time", "一次一項"),
    "my_venues.hosts.several": ("Several at once", "可同時進行多項"),
    "my_venues.add": ("Add a venue", "新增場地"),
    "my_venues.name_en": ("Name in English", "英文名稱"),
    "my_venues.name_zh": ("Name in Chinese", "中文名稱"),
    "my_venues.address": ("Address", "地址"),
    "my_venues.owner_department": ("Department that owns it", "所屬部門"),
    "my_venues.owner_department_hint": ("For example: Water Supplies Department (WSD)",
                                        "例如：水務署"),
    "my_venues.concurrent": ("Bookings", "預訂"),
    "my_venues.concurrent_yes": ("It can host several trials at once", "可同時進行多項試驗"),
    "my_venues.concurrent_hint": ("Leave unticked for a venue that hosts one trial at a time: "
                                  "then no two trials may overlap there.",
                                  "如場地一次只可進行一項試驗，請勿勾選；該場地的試驗時段便不可重疊。"),
    "my_venues.submit": ("Add the venue", "新增場地"),
    "my_venues.added": ("The venue was added.", "已新增場地。"),
    "my_venues.page_title": ("Venue: {name}", "場地：{name}"),
    "my_venues.caption_one": ("Venue", "場地"),
    "my_venues.bookings": ("Bookings", "預訂"),
    "my_venues.month": ("Month", "月份"),
    "my_venues.month_hint": ("Year and month, for example 2026-11", "年份及月份，例如 2026-11"),
    "my_venues.show_month": ("Show the month", "顯示月份"),
    "my_venues.months": ("Other months", "其他月份"),
    "my_venues.previous": ("Previous month: {name}", "上一個月：{name}"),
    "my_venues.next": ("Next month: {name}", "下一個月：{name}"),
    "my_venues.month_name": ("{name} {year}", "{year}年{month}月"),
    "my_venues.calendar_caption": ("Trials booked in {month}, by Hong Kong day",
                                   "{month}已預訂的試驗（按香港日期）"),
    "my_venues.list_heading": ("The bookings of {month} as a list", "{month}的預訂列表"),
    "my_venues.no_bookings": ("No trial is booked at this venue in this month.",
                              "此場地在本月沒有試驗預訂。"),
    **{f"my_venues.weekday.{n}": pair for n, pair in enumerate(WEEKDAYS)},
    **{f"my_venues.weekday_short.{n}": pair for n, pair in enumerate(SHORT_WEEKDAYS)},
    **{f"my_venues.month.{n + 1}": (en, zh) for n, (en, zh) in enumerate(zip(MONTHS, ZH_MONTHS))},
}

LISTS: dict[str, tuple[str, str]] = {
    "my_trials.title.emsd": ("Field trials", "實地試驗"),
    "my_trials.title.provider": ("My field trials", "我的實地試驗"),
    "my_trials.intro.emsd": ("Every field trial, and the accepted matches waiting for one.",
                             "所有實地試驗，以及等候安排試驗的已接納配對。"),
    "my_trials.intro.provider": ("The field trials of your solutions. Record measurements while a "
                                 "trial is running.", "你的方案的實地試驗。試驗進行期間可記錄量度數據。"),
    "my_trials.filter": ("Filter the trials", "篩選試驗"),
    "my_trials.state": ("State", "狀況"),
    "my_trials.page": ("Page", "頁數"),
    "my_trials.show": ("Show", "顯示"),
    "my_trials.results": ("Trials", "試驗"),
    "my_trials.none.emsd": ("No trial matches.", "沒有相符的試驗。"),
    "my_trials.none.provider": ("None of your solutions has a field trial in this state yet.",
                                "你的方案暫時沒有處於此狀況的實地試驗。"),
    "my_trials.for_wish": ("for the wish ", "對應創科願望"),
    "my_trials.quote_open": ("“", "「"),
    "my_trials.quote_close": ("”", "」"),
    "my_trials.provider": ("Provider", "方案提供者"),
    "my_trials.score": ("Match score", "配對分數"),
    "my_trials.window": ("{start} to {end}", "{start}至{end}"),
    "my_trials.input.state": ("Choose a state from the list", "請從清單中選擇狀況"),
    "my_trials.input.month": ("Enter a month as YYYY-MM, for example 2026-11",
                              "請以 YYYY-MM 格式輸入月份，例如 2026-11"),
    "my_trials.input.month_range": ("Enter a month from {first} to {last}",
                                    "請輸入 {first} 年至 {last} 年之間的月份"),
    "my_trials.awaiting": ("Accepted matches waiting for a trial", "等候安排試驗的已接納配對"),
    "my_trials.awaiting_intro": ("These matches were accepted and have no trial under way or done.",
                                 "以下配對已獲接納，但尚未有進行中或已完成的試驗。"),
    "my_trials.awaiting_none": ("Every accepted match has a trial.", "所有已接納的配對均已安排試驗。"),
    "my_trials.awaiting_unavailable": ("The accepted matches could not be listed just now; try "
                                       "again shortly.", "暫時未能列出已接納的配對，請稍後再試。"),
    "my_trials.awaiting_more": ("Only the {count} best-scored accepted matches were looked at.",
                                "只查看了評分最高的 {count} 個已接納配對。"),
    "my_trials.open_trial": ("Open a trial", "開立試驗"),
    "my_trials.open_for": (" of ", "："),
    "my_trials.down": ("The {service} did not answer, so nothing was saved. Please try again in a "
                       "moment.", "{service}沒有回應，因此未有儲存任何資料。請稍後再試。"),
    "my_trials.error_title": ("Error: {title}", "錯誤：{title}"),
}

PLAN: dict[str, tuple[str, str]] = {
    "my_trials.new_title": ("Open a field trial", "開立實地試驗"),
    "my_trials.match": ("Match", "配對"),
    "my_trials.back": ("Back to the field trials", "返回實地試驗"),
    "my_trials.not_accepted.pending": ("This match has not been accepted yet: only an accepted "
                                       "match can be trialled.", "此配對尚未獲接納：只有已接納的配對才可進行試驗。"),
    "my_trials.not_accepted.rejected": ("This match was rejected: only an accepted match can be "
                                        "trialled.", "此配對已被拒絕：只有已接納的配對才可進行試驗。"),
    "my_trials.venue_hint": ("Where the trial takes place.", "進行試驗的場地。"),
    "my_trials.choose_venue": ("Choose a venue", "請選擇場地"),
    "my_trials.venue_several": (" (several trials at once)", "（可同時進行多項試驗）"),
    "my_trials.window_hint": ("Hong Kong days: from the start of the first day to the end of the "
                              "last.", "以香港日期計算：由首日開始至最後一日完結。"),
    "my_trials.planned_start": ("First day", "首日"),
    "my_trials.planned_end": ("Last day", "最後一日"),
    "my_trials.clash": ("The venue is already booked on some of these days ({dates}) and hosts "
                        "one trial at a time. Choose other dates or another venue; nothing was "
                        "saved.", "場地在部分日子（{dates}）已有預訂，而且一次只可進行一項試驗。"
                        "請選擇其他日期或場地；未有儲存任何資料。"),
    "my_trials.see_calendar": ("See the venue's calendar", "查看場地日曆"),
    "my_trials.kpis_intro": ("Fill in one row for each indicator the trial is judged on; empty "
                             "rows are ignored. The indicators are fixed when the trial starts.",
                             "每項用以評核試驗的指標填寫一行；空白的行會被略去。指標於試驗開始時確定。"),
    "my_trials.aggregate_intro": ("“Result is” says how an indicator's readings are summarised "
                                  "into its result, which the performance report judges against "
                                  "the target. It is fixed with the plan:",
                                  "「結果取值」指明如何把指標的讀數歸納為結果，表現報告會以此結果與目標比較。"
                                  "此項隨計劃確定："),
    "my_trials.aggregate_means.mean": ("the average of every reading", "所有讀數的平均值"),
    "my_trials.aggregate_means.median": ("the middle reading, so a few outliers do not sway it",
                                         "讀數的中位數，少數極端值不會影響結果"),
    "my_trials.aggregate_means.last": ("the latest reading: where things stood at the end",
                                       "最後一個讀數，即試驗結束時的情況"),
    "my_trials.aggregate_means.min": ("the lowest reading", "最低的讀數"),
    "my_trials.aggregate_means.max": ("the highest reading", "最高的讀數"),
    "my_trials.kpi_legend": ("Indicator {number}", "指標 {number}"),
    "my_trials.kpi_field": ("Indicator {number}, {field}", "指標 {number} 的{field}"),
    "my_trials.kpi.name": ("Name", "名稱"),
    "my_trials.kpi.unit": ("Unit", "單位"),
    "my_trials.kpi.baseline": ("Baseline", "基線"),
    "my_trials.kpi.target": ("Target", "目標"),
    "my_trials.kpi.direction": ("Better when", "表現較佳"),
    "my_trials.kpi.aggregate": ("Result is", "結果取值"),
    "my_trials.kpi.direction_missing": ("Choose whether higher or lower is better",
                                        "請選擇數值越高或越低為佳"),
    "my_trials.better.increase": ("Higher", "越高越好"),
    "my_trials.better.decrease": ("Lower", "越低越好"),
    "my_trials.choose": ("Choose", "請選擇"),
    "my_trials.open_submit": ("Open the trial", "開立試驗"),
    "my_trials.on_its_way": ("The decision on this match is on its way to the trials service. "
                             "Nothing was saved: please send the form again in a moment.",
                             "此配對的決定正傳送至實地試驗服務，因此未有儲存任何資料。請稍後再提交表格。"),
}

PAGE: dict[str, tuple[str, str]] = {
    "my_trials.public_page": ("The trial's public page", "試驗的公開網頁"),
    "my_trials.actions": ("What you can do now", "可進行的操作"),
    "my_trials.no_actions": ("A terminated trial has nothing more to do.", "已終止的試驗再無其他操作。"),
    "my_trials.start_intro": ("Starting the trial fixes its indicators; readings can be recorded "
                              "from then on.", "開始試驗後，指標即告確定，並可開始記錄讀數。"),
    "my_trials.start": ("Start the trial", "開始試驗"),
    "my_trials.complete": ("Complete the trial", "完成試驗"),
    "my_trials.summary": ("Summary", "摘要"),
    "my_trials.summary_hint": ("What the trial found, for the published performance report.",
                               "試驗的結果，會刊載於公開的表現報告。"),
    "my_trials.complete_submit": ("Complete and publish the report", "完成試驗並發佈報告"),
    "my_trials.terminate": ("Terminate the trial", "終止試驗"),
    "my_trials.reason": ("Why it is terminated", "終止原因"),
    "my_trials.reason_hint": ("Required. It is published with the trial.", "必須填寫，並會與試驗一併公開。"),
    "my_trials.terminate_submit": ("Terminate the trial", "終止試驗"),
    "my_trials.correct": ("Correct the published report", "更正已發佈的報告"),
    "my_trials.correct_intro": ("A correction publishes a new version of the report (the latest "
                                "is version {version}); earlier versions stay published as they "
                                "were.", "更正會發佈新一版報告（現時最新為第 {version} 版），先前各版保持不變。"),
    "my_trials.correction_reason": ("Why it is corrected", "更正原因"),
    "my_trials.correction_summary": ("The corrected summary", "更正後的摘要"),
    "my_trials.correct_submit": ("Publish the corrected report", "發佈更正後的報告"),
    "my_trials.readings": ("Latest readings", "最新讀數"),
    "my_trials.readings_caption": ("The {shown} latest of {total} readings, newest first",
                                   "共 {total} 個讀數中最新的 {shown} 個（由新至舊）"),
    "my_trials.readings_caption_all": ("Every reading so far ({total}), newest first",
                                       "至今所有讀數（共 {total} 個，由新至舊）"),
    "my_trials.readings_unavailable": ("The readings could not be listed just now.",
                                       "暫時未能列出讀數。"),
    "my_trials.done.opened": ("The trial was opened. Start it when it begins at the venue.",
                              "已開立試驗。試驗在場地展開時，請按「開始試驗」。"),
    "my_trials.done.started": ("The trial has started.", "試驗已開始。"),
    "my_trials.done.completed": ("The trial is complete and its performance report is published.",
                                 "試驗已完成，表現報告已經發佈。"),
    "my_trials.done.terminated": ("The trial was terminated.", "試驗已終止。"),
    "my_trials.done.recorded": ("The reading was recorded.", "已記錄讀數。"),
    "my_trials.done.uploaded": ("All {n} readings of the file were recorded.",
                                "已記錄檔案中全部 {n} 個讀數。"),
    "my_trials.done.corrected": ("The corrected report is published as version {n}.",
                                 "更正後的報告已發佈為第 {n} 版。"),
    "my_trials.done.read_version": ("Read version {version}", "閱讀第 {version} 版"),
    "my_trials.done.read_report": ("Read the performance report", "閱讀表現報告"),
}

READINGS: dict[str, tuple[str, str]] = {
    "my_trials.record": ("Record measurements", "記錄量度數據"),
    "my_trials.record_one": ("One reading", "單一讀數"),
    "my_trials.reading.not_running": ("Measurements can be recorded while the trial is running.",
                                      "試驗進行期間方可記錄量度數據。"),
    "my_trials.reading.kpi": ("Indicator", "指標"),
    "my_trials.reading.value": ("Value", "數值"),
    "my_trials.reading.value_hint": ("A number in the indicator's unit, for example 12.5",
                                     "以指標單位表示的數字，例如 12.5"),
    "my_trials.reading.measured_at": ("Measured at", "量度時間"),
    "my_trials.reading.measured_at_hint": ("Hong Kong time. Leave it empty to record the reading "
                                           "as of now.", "香港時間。如留空，則以現在時間記錄。"),
    "my_trials.record_submit": ("Record the reading", "記錄讀數"),
    "my_trials.upload": ("A CSV file of readings", "以 CSV 檔案上載讀數"),
    "my_trials.upload_submit": ("Upload the readings", "上載讀數"),
    "my_trials.csv.intro": ("A header row, then one reading per row, up to {max} rows ({kb} KB). "
                            "measured_at is a date and time with its zone, or YYYY-MM-DD HH:MM in "
                            "Hong Kong time. Either every row is recorded, or none is.",
                            "首行為標題，其後每行一個讀數，最多 {max} 行（{kb} KB）。measured_at 為附時區的"
                            "日期時間，或以香港時間表示的 YYYY-MM-DD HH:MM。檔案內所有讀數會一併記錄，"
                            "或全部不予記錄。"),
    "my_trials.csv.file": ("CSV file", "CSV 檔案"),
    "my_trials.csv.hint": ("Columns kpi, value, measured_at, in UTF-8 (as spreadsheets save “CSV "
                           "UTF-8”).", "欄位為 kpi、value、measured_at，以 UTF-8 編碼（即試算表的「CSV UTF-8」）。"),
    "my_trials.csv.choose": ("Choose a CSV file to upload", "請選擇要上載的 CSV 檔案"),
    "my_trials.csv.refused": ("The file has {count} problems, so none of its readings was "
                              "recorded. Correct them and upload it again.",
                              "檔案有 {count} 個問題，因此檔案內的讀數全部未有記錄。請更正後再上載。"),
    "my_trials.csv.refused_one": ("The file has a problem, so none of its readings was recorded. "
                                  "Correct it and upload the file again.",
                                  "檔案有 1 個問題，因此檔案內的讀數全部未有記錄。請更正後再上載。"),
    "my_trials.csv.line": ("Line {line}", "第 {line} 行"),
    "my_trials.csv.whole_file": ("The file", "檔案"),
    "my_trials.csv.not_utf8": ("The file is not UTF-8 text from this line on; save it as “CSV "
                               "UTF-8”", "檔案由此行起並非 UTF-8 文字；請另存為「CSV UTF-8」"),
    "my_trials.csv.empty": ("The file is empty", "檔案並無內容"),
    "my_trials.csv.no_rows": ("The file has a header but no readings", "檔案只有標題，並無讀數"),
    "my_trials.csv.columns": ("The header must name the columns {columns} (it has {found})",
                              "標題必須列出欄位 {columns}（現為 {found}）"),
    "my_trials.csv.cells": ("Has {count} cells; a row has {expected}",
                            "有 {count} 個欄位；每行應有 {expected} 個"),
    "my_trials.csv.kpi_blank": ("kpi is empty", "kpi 欄空白"),
    "my_trials.csv.value": ("value “{value}” is not a number", "value「{value}」不是數字"),
    "my_trials.csv.measured_at": ("measured_at “{value}” is not a date and time with a zone, nor "
                                  "YYYY-MM-DD HH:MM", "measured_at「{value}」既非附時區的日期時間，"
                                  "亦非 YYYY-MM-DD HH:MM 格式"),
    "my_trials.csv.too_many": ("More than {max} readings: split the file",
                               "超過 {max} 個讀數：請把檔案分拆"),
    "my_trials.csv.too_large": ("The file is larger than {kb} KB: split it",
                                "檔案大於 {kb} KB：請把檔案分拆"),
    "my_trials.csv.unreadable": ("A quoted cell is not closed, or holds a stray quote",
                                 "有引號欄位未有關閉，或含有多餘的引號"),
}

TEXTS: dict[str, tuple[str, str]] = {**VENUES, **LISTS, **PLAN, **PAGE, **READINGS}
