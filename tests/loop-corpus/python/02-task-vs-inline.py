# create_task schedules; awaiting a coroutine runs it at once, inside the current task.
import asyncio


async def child(name):
    print(f"{name} starts")
    await asyncio.sleep(0)
    print(f"{name} ends")


async def main():
    task = asyncio.create_task(child("task"))
    print("task created, not started")
    await child("inline")
    await task
    print("main done")


asyncio.run(main())
