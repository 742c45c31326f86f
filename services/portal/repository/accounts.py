"""SQL for accounts, one-time links, browser sessions and the requests that are rate-limited."""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.portal.models import Account, BrowserSession, SignInLink, SignInRequest


class AccountsRepository:
    """The portal's own tables, through one session (one transaction)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_email(self, email: str) -> Account | None:
        """The account of a (lower-case) address."""
        return (await self.session.exec(select(Account).where(Account.email == email))).first()

    async def by_id(self, account_id: str) -> Account | None:
        """An account by id."""
        return await self.session.get(Account, account_id)

    async def all(self) -> list[Account]:
        """Every account: active and invited first, then by organisation and address."""
        rows = (await self.session.exec(select(Account).order_by(
            col(Account.status) == "withdrawn", col(Account.org), col(Account.email)))).all()
        return list(rows)

    def add(self, *rows: object) -> None:
        """Stage new rows."""
        self.session.add_all(rows)

    async def request_times(self, *, email: str, client: str, since: datetime
                            ) -> tuple[list[datetime], list[datetime]]:
        """When links were asked for this address, and from this client, since `since`."""
        rows = (await self.session.exec(select(SignInRequest).where(
            SignInRequest.at > since,
            (SignInRequest.email == email) | (SignInRequest.client == client)))).all()
        return ([r.at for r in rows if r.email == email], [r.at for r in rows if r.client == client])

    async def link(self, token_digest: str) -> SignInLink | None:
        """A one-time link by its digest."""
        return await self.session.get(SignInLink, token_digest)

    async def use_link(self, token_digest: str, now: datetime) -> bool:
        """Mark the link used; False when another request used it first."""
        result = await self.session.exec(
            update(SignInLink).where(col(SignInLink.token_digest) == token_digest,
                                     col(SignInLink.used_at).is_(None)).values(used_at=now))
        return result.rowcount == 1

    async def session_of(self, id_digest: str) -> tuple[BrowserSession, Account] | None:
        """A browser session and its account."""
        row = (await self.session.exec(
            select(BrowserSession, Account).join(
                Account, col(Account.id) == col(BrowserSession.account_id))
            .where(BrowserSession.id_digest == id_digest))).first()
        return None if row is None else (row[0], row[1])

    async def end_sessions(self, *, now: datetime, id_digest: str | None = None,
                           account_id: str | None = None) -> None:
        """End one session, or every session of an account."""
        query = update(BrowserSession).where(col(BrowserSession.ended_at).is_(None))
        if id_digest is not None:
            query = query.where(col(BrowserSession.id_digest) == id_digest)
        if account_id is not None:
            query = query.where(col(BrowserSession.account_id) == account_id)
        await self.session.exec(query.values(ended_at=now))
