"""`innoportal decisions export`: EMSD's decisions on matches, with their records, written as
one JSON document (format "innoportal-decisions/1": services/matcher/service/export.py)."""

import json
from pathlib import Path

import httpx

from services.matcher.adapters.public_apis import PublicApis
from services.matcher.service.export import export_decisions


async def export_to_file(out: Path | None, urls: dict[str, str], *,
                         timeout: float = 30.0) -> dict:
    """Export from the services at `urls` (matcher, wishes, solutions) to `out` (None: stdout)."""
    clients = {name: httpx.AsyncClient(base_url=url, timeout=timeout)
               for name, url in urls.items()}
    try:
        doc = await export_decisions(PublicApis(**clients))
    finally:
        for client in clients.values():
            await client.aclose()
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if out is None:
        print(text, end="")
    else:
        out.write_text(text, "utf-8")
    return doc
