"""`innoportal admin add EMAIL`: the first EMSD administrator, made at a shell."""

from contracts import utcnow
from innoportal.uow import unit_of_work
from services.portal.bootstrap import bootstrap
from services.portal.domain.accounts import check_org, normalise_email
from services.portal.service.accounts import add_admin


async def add_administrator(raw_email: str, raw_org: str = "EMSD") -> str:
    """Make `raw_email` an active EMSD administrator in the portal's database; what was done."""
    email, problem = normalise_email(raw_email)
    if problem:
        raise ValueError(f"email: {raw_email!r} is not an email address")
    org, problem = check_org(raw_org)
    if problem:
        raise ValueError("org: 2 to 100 printable characters")
    runtime = bootstrap()
    try:
        await runtime.prepare_database()
        async with unit_of_work(runtime.db) as uow:
            account = await add_admin(uow, email, org=org, now=utcnow())
        return f"{account.email} is an EMSD administrator of {account.org}; sign in at /en/sign-in"
    finally:
        await runtime.db.dispose()
