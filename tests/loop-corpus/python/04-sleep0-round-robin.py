# sleep(0) yields to the loop once: tasks take turns.
import asyncio


async def counter(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(counter("a", 3), counter("b", 2), counter("c", 3))


asyncio.run(main())
