"""The home page's few seconds of memory."""

from services.portal.service.cache import Recent


async def test_an_answer_is_kept_for_its_seconds_and_a_refused_one_not_at_all():
    now = [0.0]
    calls = []

    async def fetch():
        calls.append(now[0])
        return {"down": len(calls) == 1}  # the first answer had a service down

    recent = Recent(fetch, 5.0, keep=lambda a: not a["down"], clock=lambda: now[0])
    assert (await recent.get())["down"] and len(calls) == 1
    assert not (await recent.get())["down"] and len(calls) == 2  # not kept: asked again
    now[0] = 4.9
    await recent.get()
    assert len(calls) == 2  # kept
    now[0] = 7.1
    await recent.get()
    assert len(calls) == 3  # stale after 5 s: asked again
