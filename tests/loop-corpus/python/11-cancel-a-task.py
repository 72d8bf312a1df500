# Cancelling a task throws CancelledError at its await; finally still runs.
import asyncio


async def worker():
    try:
        print("worker starts")
        await asyncio.sleep(5)
        print("never")
    finally:
        print("worker cleans up")


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    print("cancelling:", task.cancel())
    try:
        await task
    except asyncio.CancelledError:
        print("main saw the cancellation")
    print("cancelled?", task.cancelled())


asyncio.run(main())
