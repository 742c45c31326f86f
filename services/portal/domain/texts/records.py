"""Texts shared by the record pages (a wish, a solution): their facts, matches, trials and TRL."""

TEXTS: dict[str, tuple[str, str]] = {
    "record.details": ("Details", "詳情"),
    "record.categories": ("Categories", "類別"),
    "record.posted_on": ("Posted on", "發佈日期"),
    "record.submitted_on": ("Submitted on", "提交日期"),
    "record.other_version.en": ("In English", "英文版本"),
    "record.other_version.zh": ("In Chinese", "中文版本"),
    # Accepted matches and their trials
    "record.matches": ("Accepted matches", "獲接納的配對"),
    "record.matches_intro": ("EMSD reviewed these matches and accepted them for a possible field "
                             "trial.",
                             "機電署已審視以下配對，並接納作可能的實地試驗。"),
    "record.score": ("Match score: {percent}%", "配對分數：{percent}%"),
    "record.by_org": ("by {org}", "由{org}提交"),
    "record.for_org": ("posted by {org}", "由{org}發佈"),
    "record.reasons": ("Why they match", "配對原因"),
    "record.reason.category": ("Categories in common", "相同類別"),
    "record.reason.glossary": ("E&M terms in common", "相同機電術語"),
    "record.reason.term": ("Words in common", "相同字詞"),
    "record.reason.semantic": ("Close in meaning", "意思相近"),
    "record.colon": (": ", "："),
    "record.list_sep": (", ", "、"),
    "record.trials": ("Field trials", "實地試驗"),
    "record.no_trials": ("No field trial has been arranged for this match yet.",
                         "此配對尚未安排實地試驗。"),
    "record.trial_link": ("Field trial from {start} to {end}", "實地試驗（{start}至{end}）"),
    "record.venue": ("Venue", "地點"),
    "record.trial_state.planned": ("Planned", "已計劃"),
    "record.trial_state.running": ("Running", "進行中"),
    "record.trial_state.completed": ("Completed", "已完成"),
    "record.trial_state.terminated": ("Terminated", "已終止"),
    "record.report_link": ("Read the performance report", "閱讀表現報告"),
    "record.matches_unavailable": ("The accepted matches cannot be shown right now because the "
                                   "matching service is not answering. Please try again in a "
                                   "minute.",
                                   "由於配對服務暫時沒有回應，獲接納的配對暫時未能顯示，請於一分鐘後再試。"),
    "record.trials_unavailable": ("The field trials of these matches cannot be shown right now "
                                  "because the trials service is not answering. Please try again "
                                  "in a minute.",
                                  "由於實地試驗服務暫時沒有回應，這些配對的實地試驗暫時未能顯示，"
                                  "請於一分鐘後再試。"),
    # Technology readiness levels (after the scale used by the EU and the Innovation and
    # Technology Fund)
    "trl.name": ("Technology readiness level", "技術成熟度級別"),
    "trl.short": ("TRL {level}", "TRL {level}"),
    "trl.level": ("TRL {level}: {meaning}", "TRL {level}：{meaning}"),
    "trl.at_least": ("TRL {level} or higher", "TRL {level} 或以上"),
    "trl.explain_title": ("What are technology readiness levels?", "甚麼是技術成熟度級別？"),
    "trl.explain": ("Technology readiness levels (TRL) say how far a technology is from everyday "
                    "use, on a scale from 1 (an idea in a laboratory) to 9 (a system proven in "
                    "real operation).",
                    "技術成熟度級別（TRL）表示一項技術距離實際應用有多遠，由 1（實驗室中的構想）"
                    "至 9（在實際運作中證明可行的系統）。"),
    "trl.1": ("basic principles observed", "觀察到基本原理"),
    "trl.2": ("technology concept formulated", "已構思技術概念"),
    "trl.3": ("experimental proof of concept", "已以實驗驗證概念"),
    "trl.4": ("technology validated in a laboratory", "技術已在實驗室驗證"),
    "trl.5": ("technology validated in a relevant environment", "技術已在相關環境中驗證"),
    "trl.6": ("technology demonstrated in a relevant environment", "技術已在相關環境中示範"),
    "trl.7": ("prototype demonstrated in an operational environment", "原型已在實際運作環境中示範"),
    "trl.8": ("system complete and qualified", "系統已完成並通過驗證"),
    "trl.9": ("system proven in operational use", "系統已在實際運作中證明可行"),
}
