# A task cancelled before its first step never runs its body: it is cancelled at that step.
import asyncio


async def never():
    print("never runs")


async def main():
    t = asyncio.create_task(never())
    t.cancel()
    await asyncio.sleep(0)
    print(t.done(), t.cancelled())


asyncio.run(main())
