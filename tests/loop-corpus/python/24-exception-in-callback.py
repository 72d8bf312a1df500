# An exception in a callback is logged by the loop, which carries on.
import asyncio


def broken():
    raise ZeroDivisionError("in a callback")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(broken)
    loop.call_soon(print, "the loop carries on")
    await asyncio.sleep(0.1)
    print("main done")


asyncio.run(main())
