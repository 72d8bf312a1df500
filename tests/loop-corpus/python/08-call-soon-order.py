# call_soon callbacks and task steps share one ready queue, first in first out.
import asyncio


async def task_body(name):
    print(name, "step 1")
    await asyncio.sleep(0)
    print(name, "step 2")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(print, "soon 1")
    asyncio.create_task(task_body("T"))
    loop.call_soon(print, "soon 2")
    await asyncio.sleep(0)
    print("main resumed")
    await asyncio.sleep(0)
    print("main resumed again")


asyncio.run(main())
