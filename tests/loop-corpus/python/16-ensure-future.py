# ensure_future wraps a coroutine in a task, and passes a task through.
import asyncio


async def answer():
    print("answer runs")
    return 42


async def main():
    t = asyncio.ensure_future(answer())
    same = asyncio.ensure_future(t)
    print(t is same)
    print(await t)


asyncio.run(main())
