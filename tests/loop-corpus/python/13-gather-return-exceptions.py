# With return_exceptions=True, exceptions come back as results.
import asyncio


async def value(n):
    await asyncio.sleep(0.1 * n)
    if n == 2:
        raise RuntimeError("two is bad")
    return n


async def main():
    results = await asyncio.gather(value(1), value(2), value(3), return_exceptions=True)
    for r in results:
        print(repr(r))


asyncio.run(main())
