"""The technology categories of product.md, with bilingual labels."""

from typing import Literal, NamedTuple


class Category(NamedTuple):
    """A technology category: stable id and its labels in both languages."""

    id: str
    en: str
    zh: str


CATEGORIES: tuple[Category, ...] = (
    Category("ai-data-analytics", "AI and data analytics", "人工智能及數據分析"),
    Category("iot-sensors", "IoT and sensors", "物聯網及感應器"),
    Category("robotics-automation", "Robotics and automation", "機械人及自動化"),
    Category("energy-efficiency", "Energy efficiency", "能源效益"),
    Category("renewable-energy", "Renewable energy", "可再生能源"),
    Category("energy-storage", "Energy storage", "儲能"),
    Category("building-services", "Building services", "屋宇裝備"),
    Category("smart-mobility", "Smart mobility", "智慧出行"),
    Category("healthcare-tech", "Healthcare technology", "醫療科技"),
    Category("public-safety", "Public safety", "公共安全"),
    Category("environmental-monitoring", "Environmental monitoring", "環境監測"),
    Category("construction-tech", "Construction technology", "建築科技"),
    Category("fintech-govtech", "FinTech and GovTech", "金融科技及政府科技"),
    Category("communications-5g", "Communications and 5G", "通訊及5G"),
    Category("materials-nanotech", "Materials and nanotechnology", "材料及納米科技"),
)

CATEGORY_IDS: frozenset[str] = frozenset(c.id for c in CATEGORIES)

CategoryId = Literal[
    "ai-data-analytics",
    "iot-sensors",
    "robotics-automation",
    "energy-efficiency",
    "renewable-energy",
    "energy-storage",
    "building-services",
    "smart-mobility",
    "healthcare-tech",
    "public-safety",
    "environmental-monitoring",
    "construction-tech",
    "fintech-govtech",
    "communications-5g",
    "materials-nanotech",
]
