# Tasks start only when the running coroutine gives the loop a turn.
import asyncio


async def job(n):
    print("job", n, "starts")
    await asyncio.sleep(0.1)
    print("job", n, "ends")


async def main():
    tasks = [asyncio.create_task(job(i)) for i in range(3)]
    print("all created")
    for i in range(3):
        print("main still running", i)
    await asyncio.sleep(0)
    print("main after one yield")
    for t in tasks:
        await t
    print("main done")


asyncio.run(main())
