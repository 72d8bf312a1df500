# gather returns results in argument order, whatever order they finish in.
import asyncio


async def work(n, delay):
    await asyncio.sleep(delay)
    print(f"work {n} finished after {delay}s")
    return n * 10


async def main():
    results = await asyncio.gather(work(1, 0.3), work(2, 0.1), work(3, 0.2))
    print(results)


asyncio.run(main())
