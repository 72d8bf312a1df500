# Done callbacks run as separate handles, in the order they were added.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: print("callback 1 sees", f.result()))
    fut.add_done_callback(lambda f: print("callback 2 sees", f.result()))
    loop.call_soon(lambda: print("a call_soon scheduled before the result"))
    fut.set_result("ready")
    print("set_result returned; callbacks not run yet")
    await asyncio.sleep(0)
    print("after one loop turn")
    await asyncio.sleep(0)
    print("after two loop turns")


asyncio.run(main())
