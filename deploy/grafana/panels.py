"""Grafana panel builders shared by build_dashboard.py and its rows (plain dicts, no Grafana API)."""

DS = {"type": "prometheus", "uid": "${datasource}"}


class Layout:
    """Hands out gridPos on Grafana's 24-column grid, left to right, then down."""

    def __init__(self) -> None:
        self.x = 0
        self.y = 0
        self.row_h = 0
        self.next_id = 1

    def place(self, w: int, h: int) -> dict:
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def newline(self) -> None:
        self.x, self.y, self.row_h = 0, self.y + self.row_h, 0

    def id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def target(expr: str, legend: str, ref: str = "A", **extra) -> dict:
    return {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": True,
            **extra}


# What a panel that is rightly empty while all is well shows instead of Grafana's "No data".
NONE = "none"


def timeseries(lay: Layout, title: str, targets: list[dict], *, unit: str = "short",
               description: str = "", w: int = 8, h: int = 8, stack: bool = False,
               overrides: list | None = None, min_zero: bool = True,
               no_value: str | None = None) -> dict:
    custom = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
              "spanNulls": False}
    if stack:
        custom["stacking"] = {"mode": "normal", "group": "A"}
    defaults: dict = {"unit": unit, "custom": custom}
    if min_zero:
        defaults["min"] = 0
    if no_value:
        defaults["noValue"] = no_value
    return {
        "id": lay.id(), "type": "timeseries", "title": title, "description": description,
        "datasource": DS, "gridPos": lay.place(w, h), "targets": targets,
        "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
    }


def stat(lay: Layout, title: str, targets: list[dict], *, unit: str = "short",
         description: str = "", w: int = 4, h: int = 4, mappings: list | None = None,
         thresholds: list | None = None, no_value: str | None = None) -> dict:
    defaults: dict = {
        "unit": unit, "mappings": mappings or [],
        "thresholds": {"mode": "absolute", "steps": thresholds or [
            {"color": "green", "value": None}]},
        "color": {"mode": "thresholds"},
    }
    if no_value:
        defaults["noValue"] = no_value
    return {
        "id": lay.id(), "type": "stat", "title": title, "description": description,
        "datasource": DS, "gridPos": lay.place(w, h), "targets": targets,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "background", "graphMode": "none", "textMode": "auto",
                    "orientation": "auto", "justifyMode": "auto"},
    }


UP_DOWN = [{"type": "value", "options": {
    "0": {"text": "DOWN", "color": "red", "index": 0},
    "1": {"text": "UP", "color": "green", "index": 1}}}]
CONNECTED = [{"type": "value", "options": {
    "0": {"text": "disconnected", "color": "red", "index": 0},
    "1": {"text": "connected", "color": "green", "index": 1}}}]
RED_AT_1 = [{"color": "green", "value": None}, {"color": "red", "value": 1}]
RED_AT_0 = [{"color": "red", "value": None}, {"color": "green", "value": 1}]


def colour(pattern: str, colour_name: str) -> dict:
    """An override painting every series whose name matches `pattern` (regexp) one colour."""
    return {"matcher": {"id": "byRegexp", "options": pattern},
            "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": colour_name}}]}


def right_axis(name: str, unit: str) -> dict:
    """An override putting the series called `name` on a right axis with its own unit."""
    return {"matcher": {"id": "byName", "options": name},
            "properties": [{"id": "unit", "value": unit},
                           {"id": "custom.axisPlacement", "value": "right"}]}


def row(lay: Layout, title: str, **extra) -> dict:
    """A row header across the grid."""
    return {"id": lay.id(), "type": "row", "title": title, "collapsed": False,
            "gridPos": lay.place(24, 1), "panels": [], **extra}
