"""Texts of the signed-in workspace's front page, shared by every role."""

TEXTS: dict[str, tuple[str, str]] = {
    "my.title": ("My workspace", "我的工作區"),
    "my.role.department": ("You act for {org}, a government department or public body.",
                           "你代表政府部門或公營機構「{org}」。"),
    "my.role.provider": ("You act for {org}, a solution provider.", "你代表方案提供者「{org}」。"),
    "my.role.emsd": ("You act for {org} as EMSD staff.", "你以機電署職員身分代表「{org}」。"),
    "my.role.admin": ("You also manage accounts.", "你亦負責管理帳戶。"),
    "my.department.wishes": ("My wishes, their matches and trials", "我的願望、配對及試驗"),
    "my.department.new_wish": ("Post a wish", "發佈願望"),
    "my.provider.solutions": ("My solutions, their matches and trials", "我的方案、配對及試驗"),
    "my.provider.new_solution": ("Submit a solution", "提交創科解決方案"),
    "my.provider.trials": ("Record measurements of my trials", "記錄我的試驗數據"),
    "my.emsd.matches": ("Matches to decide", "待決定的配對"),
    "my.emsd.venues": ("Venues and their bookings", "場地及預訂"),
    "my.emsd.trials": ("Field trials", "實地試驗"),
    "my.admin.accounts": ("Accounts", "帳戶"),
}
