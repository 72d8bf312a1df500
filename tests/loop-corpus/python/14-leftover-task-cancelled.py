# asyncio.run cancels tasks still pending when main returns.
import asyncio


async def background():
    try:
        while True:
            print("background tick")
            await asyncio.sleep(0.4)
    finally:
        print("background cancelled at the end")


async def main():
    asyncio.create_task(background())
    await asyncio.sleep(1.0)
    print("main returns")


asyncio.run(main())
print("after asyncio.run")
