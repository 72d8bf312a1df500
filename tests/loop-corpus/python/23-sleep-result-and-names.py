# sleep can return a value; tasks are numbered in creation order.
import asyncio


async def main():
    value = await asyncio.sleep(0.1, result="slept")
    print(value)
    t1 = asyncio.create_task(asyncio.sleep(0.1))
    t2 = asyncio.create_task(asyncio.sleep(0.1), name="napper")
    print(t1.get_name(), t2.get_name())
    await asyncio.gather(t1, t2)


asyncio.run(main())
