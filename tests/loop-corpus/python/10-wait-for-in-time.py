# wait_for returns the result when it comes in time.
import asyncio


async def quick():
    await asyncio.sleep(0.1)
    return "quick result"


async def main():
    result = await asyncio.wait_for(quick(), timeout=1.0)
    print(result)


asyncio.run(main())
