# A task's life: pending (ready, running, waiting), then finished or cancelled.
# repr(task) starts "<Task pending", "<Task finished" or "<Task cancelled".
import asyncio


def state(task):
    return repr(task).split()[1]


async def work(ms):
    await asyncio.sleep(ms / 1000)
    return ms


async def broken():
    await asyncio.sleep(0)
    raise ValueError("no")


async def main():
    a = asyncio.create_task(work(10))
    b = asyncio.create_task(work(50))
    c = asyncio.create_task(broken())
    print("created:", state(a), a.done())
    await asyncio.sleep(0)
    print("all started:", state(a), state(b), state(c))
    await a
    print("a:", state(a), a.done(), a.result())
    print("c:", state(c), c.done(), c.cancelled())
    b.cancel()
    print("b, cancel asked:", state(b), b.done())
    try:
        await b
    except asyncio.CancelledError:
        print("b:", state(b), b.done(), b.cancelled())
    try:
        c.result()
    except ValueError as e:
        print("c.result() raised", e)


asyncio.run(main())
