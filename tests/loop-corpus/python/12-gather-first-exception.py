# gather passes on the first exception; the others keep running.
import asyncio


async def ok(delay):
    await asyncio.sleep(delay)
    print("ok after", delay)
    return delay


async def fails(delay):
    await asyncio.sleep(delay)
    raise ValueError(f"failed after {delay}")


async def main():
    try:
        await asyncio.gather(ok(0.1), fails(0.2), ok(0.3))
    except ValueError as e:
        print("gather raised:", e)
    await asyncio.sleep(0.2)
    print("main ends")


asyncio.run(main())
