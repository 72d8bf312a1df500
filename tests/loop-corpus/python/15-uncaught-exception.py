# An exception out of main ends asyncio.run and the program.
import asyncio


async def main():
    print("main starts")
    await asyncio.sleep(0.1)
    raise KeyError("missing")


print("before")
asyncio.run(main())
print("never printed")
