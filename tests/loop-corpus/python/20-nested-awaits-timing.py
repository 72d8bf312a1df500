# Awaits chain through coroutines; the loop's clock shows the waits add up.
import asyncio


async def c(loop):
    await asyncio.sleep(0.25)
    return round(loop.time() - T0[0], 2)


async def b(loop):
    first = await c(loop)
    second = await c(loop)
    return [first, second]


async def a():
    loop = asyncio.get_running_loop()
    T0[0] = loop.time()
    print(await b(loop))


T0 = [0]
asyncio.run(a())
