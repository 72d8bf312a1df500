# Timers fire by due time; a cancelled handle never runs.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, print, "0.3 s")
    h = loop.call_later(0.2, print, "cancelled, never printed")
    loop.call_later(0.1, print, "0.1 s first")
    loop.call_later(0.1, print, "0.1 s second")
    h.cancel()
    await asyncio.sleep(0.5)
    print("main done")


asyncio.run(main())
