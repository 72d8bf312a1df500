# A future resolved by a timer callback wakes the coroutine that awaits it.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    fut = loop.create_future()

    def deliver(value):
        print("callback sets the result")
        fut.set_result(value)

    loop.call_later(0.5, deliver, 42)
    print("waiting for the future")
    value = await fut
    print("got", value, "at", round(loop.time() - start, 1))


asyncio.run(main())
