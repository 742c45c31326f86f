"""Bilingual wishes and solutions for the matcher tests, with the distractor pairs."""

WISHES = {
    "w-lift": dict(
        id="w-lift", title_en="Predicting passenger lift breakdowns",
        description_en="Predict faults of passenger lifts in housing estates before passengers "
        "are trapped, using controller data and sensors.",
        categories=["building-services", "ai-data-analytics"],
    ),
    "w-hoist": dict(
        id="w-hoist", title_zh="建築地盤重物吊運機械人",
        description_zh="地盤工人人手吊裝重物容易受傷，希望引入機械人協助吊運及安裝重型物料。",
        categories=["robotics-automation", "construction-tech"],
    ),
    "w-fever": dict(
        id="w-fever", title_en="Fever screening at building entrances",
        description_en="Screen visitors for fever quickly and without contact at clinic entrances "
        "during epidemics.",
        categories=["healthcare-tech", "public-safety"],
    ),
    "w-docs": dict(
        id="w-docs", title_zh="牌照申請文件審查自動化",
        description_zh="以人工智能自動審查申請表及證明文件，找出資料不全之處，加快審批。",
        categories=["fintech-govtech", "ai-data-analytics"],
    ),
    "w-carpark": dict(
        id="w-carpark", title_en="Vacant space detection for multi-storey car parks",
        description_en="Drivers circle our car parks looking for a free parking space; show "
        "vacancies at the entrance.",
        categories=["smart-mobility", "iot-sensors"],
    ),
    "w-bike": dict(
        id="w-bike", title_zh="公共單車泊位使用情況監測",
        description_zh="單車泊位經常爆滿，希望實時掌握各單車停泊處的使用率及棄置單車。",
        categories=["smart-mobility"],
    ),
}

SOLUTIONS = {
    "s-lift-zh": dict(
        id="s-lift-zh", title_zh="人工智能升降機故障預測平台",
        description_zh="分析升降機控制器的運行數據，以機器學習預測故障，在乘客被困前安排維修。",
        categories=["ai-data-analytics", "building-services"], trl=7,
    ),
    "s-hoist-en": dict(
        id="s-hoist-en", title_en="Hoisting robot for curtain wall installation",
        description_en="A tracked robot lifts and positions heavy glass panels on building sites, "
        "replacing manual rigging and hoisting.",
        categories=["robotics-automation", "construction-tech"], trl=6,
    ),
    "s-fever-zh": dict(
        id="s-fever-zh", title_zh="熱成像發燒篩查系統",
        description_zh="以紅外線熱像儀同時量度多人體溫，發現發燒人士即時警報，適用於診所入口。",
        categories=["healthcare-tech", "public-safety"], trl=8,
    ),
    "s-docs-en": dict(
        id="s-docs-en", title_en="AI document screening for application vetting",
        description_en="Reads scanned application forms with OCR, screens them against the rules "
        "and highlights missing information.",
        categories=["ai-data-analytics", "fintech-govtech"], trl=7,
    ),
    "s-carpark-zh": dict(
        id="s-carpark-zh", title_zh="停車場車位偵測及泊車導航系統",
        description_zh="每個車位安裝感應器偵測是否空置，在停車場入口顯示空置車位數目。",
        categories=["smart-mobility", "iot-sensors"], trl=8,
    ),
    "s-bike-en": dict(
        id="s-bike-en", title_en="Smart bicycle rack with occupancy sensing",
        description_en="Bicycle racks count parked bikes, detect abandoned bicycles and publish "
        "free bicycle parking spaces.",
        categories=["smart-mobility", "iot-sensors"], trl=6,
    ),
    "s-noise": dict(
        id="s-noise", title_en="Noise sensor network for works sites",
        description_en="Calibrated noise monitors stream sound levels and alert when limits are "
        "exceeded.",
        categories=["environmental-monitoring"], trl=7,
    ),
}
