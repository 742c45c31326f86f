"""The home page, the language redirects, and the stylesheet."""

from importlib import resources

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.api.web import LanguageDep, render
from services.portal.domain.language import COOKIE, chosen
from services.portal.domain.texts import translate

router = APIRouter(include_in_schema=False)
STATIC = {name: (resources.files("services.portal") / "static" / name).read_bytes()
          for name in ("portal.css", "favicon.svg")}
TYPES = {"css": "text/css", "svg": "image/svg+xml"}


@router.get("/")
async def root(request: Request) -> RedirectResponse:
    """`/` opens the home page in the reader's language: chosen before, else their browser's."""
    language = chosen(request.cookies.get(COOKIE), request.headers.get("accept-language", ""))
    return RedirectResponse(f"/{language.path}/", status_code=303, headers={"Vary": "Accept-Language, Cookie"})


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The stylesheet and the icon (nothing else is served from here)."""
    if name not in STATIC:
        raise HTTPException(404, "name: no such file")
    return Response(STATIC[name], media_type=TYPES[name.rsplit(".", 1)[1]],
                    headers={"Cache-Control": "public, max-age=3600"})


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers ask for it unprompted."""
    return await static_file("favicon.svg")


@router.get("/{lang:lang}")
async def language_root(language: LanguageDep) -> RedirectResponse:
    """`/en` is `/en/`."""
    return RedirectResponse(f"/{language.path}/", status_code=308)


@router.get("/{lang:lang}/")
async def home(request: Request, language: LanguageDep) -> Response:
    """What the portal is for, live figures, the newest wishes and reports."""
    found = await request.app.state.runtime.home.get()
    notices = [translate("error.partial", language, service=translate(f"service.{s}", language))
               for s in found.down]
    return render(request, language, "home.html", {"home": found, "notices": notices})
